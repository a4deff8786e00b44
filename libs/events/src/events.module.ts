import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { RedisEnv } from '@dentalos/core';
import { createRedisClient } from '@dentalos/database';
import { MetricsRegistry } from '@dentalos/metrics';
import type { Redis } from 'ioredis';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { EventPublisher } from './event-publisher.js';
import { OutboxRelay } from './outbox-relay.js';

export interface ProducerOptions {
  /** The producer's stream, e.g. `events.user`. */
  stream: string;
  /** Mongoose model names whose documents carry an embedded outbox. */
  models: string[];
  intervalMs?: number;
}

const PRODUCER_OPTIONS = Symbol('PRODUCER_OPTIONS');

/**
 * Streams are shared between services, so they are written without the producer's own key
 * prefix: `events.user` is the same key for the user service and for its consumers.
 */
const STREAM_REDIS = Symbol('STREAM_REDIS');

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @Inject(PRODUCER_OPTIONS) options: ProducerOptions,
    @Inject(getConnectionToken()) private readonly connection: Connection,
    publisher: EventPublisher,
    metrics: MetricsRegistry,
    @Inject(STREAM_REDIS) private readonly redis: Redis,
    env: RedisEnv,
  ) {
    const stream = `${env.EVENT_STREAM_PREFIX}${options.stream}`;
    const published = metrics.counter('events_published_total', 'Events published from outboxes to streams', ['stream', 'type']);
    const failures = metrics.counter('events_relay_failures_total', 'Outbox relay passes that failed', ['stream']);
    this.relay = new OutboxRelay({
      stream,
      publisher,
      intervalMs: options.intervalMs,
      collections: () =>
        connection.readyState === 1
          ? options.models.map((name) => connection.model(name).collection as unknown as Collection<Document>)
          : [],
      onPublished: (events) => events.forEach((event) => published.inc({ stream, type: event.type })),
      onError: (error) => {
        failures.inc({ stream });
        this.logger.warn(`relay pass failed: ${(error as Error).message}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * Call after a write that carried events. Naming the model and `_id` of the document written
   * drains that document alone; without them, every outbox collection is searched.
   */
  kick(model?: string, id?: unknown): void {
    if (model === undefined || id === undefined || this.connection.readyState !== 1) return this.relay.kick();
    this.relay.kick({ collection: this.connection.model(model).collection as unknown as Collection<Document>, id });
  }
}

@Module({})
export class EventsModule {
  /** For services that produce events: the publisher and the outbox relay. */
  static forProducer(options: ProducerOptions): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: PRODUCER_OPTIONS, useValue: options },
        {
          provide: STREAM_REDIS,
          inject: [RedisEnv],
          useFactory: (env: RedisEnv) => createRedisClient({ ...env, REDIS_KEY_PREFIX: '' }, 'events'),
        },
        { provide: EventPublisher, inject: [STREAM_REDIS], useFactory: (redis: Redis) => new EventPublisher(redis) },
        OutboxRelayService,
      ],
      exports: [EventPublisher, OutboxRelayService],
    };
  }
}
