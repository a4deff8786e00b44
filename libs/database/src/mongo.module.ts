import { type DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DataEnv } from '@dentalos/core';
import { MetricsRegistry } from '@dentalos/metrics';
import type { Connection, ConnectOptions } from 'mongoose';
import { recordCommandDurations } from './command-metrics.js';
import { IndexSync } from './index-sync.js';
import { keepConnecting } from './keep-connecting.js';

export function mongoOptions(env: DataEnv): ConnectOptions {
  return {
    // Indexes are created by IndexSync once the connection is up, never implicitly per model.
    autoIndex: false,
    autoCreate: false,
    // Fail fast instead of queueing queries for seconds while the database is away.
    bufferCommands: false,
    serverSelectionTimeoutMS: env.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
    // The driver notices a returning server on its next heartbeat (10 s by default); readiness
    // should turn green within a couple of seconds of the database coming back.
    heartbeatFrequencyMS: 1_000,
    // Feeds mongodb_command_duration_seconds (see recordCommandDurations).
    monitorCommands: true,
  };
}

/** The service's own MongoDB database through @nestjs/mongoose. */
@Module({})
export class MongoModule {
  static forRoot(): DynamicModule {
    return {
      module: MongoModule,
      imports: [
        MongooseModule.forRootAsync({
          inject: [DataEnv, MetricsRegistry],
          useFactory: (env: DataEnv, metrics: MetricsRegistry) => ({
            uri: env.MONGODB_URI,
            ...mongoOptions(env),
            lazyConnection: true,
            connectionFactory: (connection: Connection) => {
              recordCommandDurations(connection, metrics);
              return keepConnecting(connection, env.MONGODB_URI, mongoOptions(env));
            },
          }),
        }),
      ],
      providers: [IndexSync],
    };
  }
}
