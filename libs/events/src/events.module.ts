import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { MetricsRegistry } from '@dentalos/metrics';
import { Redis } from 'ioredis';
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

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @Inject(PRODUCER_OPTIONS) options: ProducerOptions,
    @Inject(getConnectionToken()) connection: Connection,
    publisher: EventPublisher,
    metrics: MetricsRegistry,
  ) {
    const published = metrics.counter('events_published_total', 'Events published from outboxes to streams', ['stream', 'type']);
    const failures = metrics.counter('events_relay_failures_total', 'Outbox relay passes that failed', ['stream']);
    this.relay = new OutboxRelay({
      stream: options.stream,
      publisher,
      intervalMs: options.intervalMs,
      collections: () =>
        connection.readyState === 1
          ? options.models.map((name) => connection.model(name).collection as unknown as Collection<Document>)
          : [],
      onPublished: (events) => events.forEach((event) => published.inc({ stream: options.stream, type: event.type })),
      onError: (error) => {
        failures.inc({ stream: options.stream });
        this.logger.warn(`relay pass failed: ${(error as Error).message}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Call after a write that carried events. */
  kick(): void {
    this.relay.kick();
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
        { provide: EventPublisher, inject: [Redis], useFactory: (redis: Redis) => new EventPublisher(redis) },
        OutboxRelayService,
      ],
      exports: [EventPublisher, OutboxRelayService],
    };
  }
}
