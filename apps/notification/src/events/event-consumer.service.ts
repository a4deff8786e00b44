import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { registerConsumerMetrics, StreamConsumer, type StreamMessage } from '@dentalos/events';
import { MetricsRegistry } from '@dentalos/metrics';
import { Redis } from 'ioredis';
import { NotificationEnv } from '../config/notification.env.js';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository.js';
import { SystemTemplates } from '../templates/system-templates.js';
import { EventHandlers } from './event-handlers.js';

/**
 * Consumes `events.user` and `events.enterprise` in the `notification` group. The group starts at
 * the beginning of each stream, so events published while this service was down are handled when
 * it starts; an event that keeps failing lands in dead letters and the stream moves on.
 */
@Injectable()
export class EventConsumerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventConsumer');
  private readonly redis: Redis;
  readonly consumer: StreamConsumer;
  private starting?: Promise<void>;
  private stopped = false;

  constructor(
    env: NotificationEnv,
    private readonly handlers: EventHandlers,
    private readonly deadLetters: DeadLetterRepository,
    private readonly templates: SystemTemplates,
    metrics: MetricsRegistry,
  ) {
    // Its own connection: XREADGROUP BLOCK holds it; stream names are shared across services, so no key prefix.
    this.redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'events-consumer' });
    this.redis.on('error', (error: Error) => this.logger.warn(`stream connection: ${error.message}`));
    const failures = metrics.counter('events_consumer_failures_total', 'Event handling attempts that failed', ['stream', 'type']);
    const handled = metrics.counter('events_consumed_total', 'Events handled and acknowledged', ['stream', 'type']);
    this.consumer = new StreamConsumer({
      redis: this.redis,
      streams: [env.EVENTS_USER_STREAM, env.EVENTS_ENTERPRISE_STREAM],
      group: env.EVENTS_GROUP,
      consumer: env.EVENTS_CONSUMER_NAME,
      startId: env.EVENTS_START_ID,
      batchSize: env.EVENTS_BATCH_SIZE,
      concurrency: env.EVENTS_CONCURRENCY,
      handleTimeoutMs: env.EVENTS_HANDLE_TIMEOUT_MS,
      claimIdleMs: env.EVENTS_CLAIM_IDLE_MS,
      maxDeliveries: env.EVENTS_MAX_DELIVERIES,
      handle: async (message) => {
        try {
          await this.handlers.handle(message.event!);
          handled.inc({ stream: message.stream, type: message.event!.type });
        } catch (error) {
          failures.inc({ stream: message.stream, type: message.event!.type });
          throw error;
        }
      },
      onPoison: (message, error) => this.poisoned(message, error),
      onError: (error) => this.logger.warn(`event handling: ${(error as Error).message}`),
    });
    registerConsumerMetrics(metrics, env.EVENTS_GROUP, this.consumer);
  }

  onApplicationBootstrap(): void {
    // Handlers need the system templates; the HTTP side does not wait for them.
    this.starting = this.templates.ready.then(() => {
      if (!this.stopped) this.consumer.start();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.consumer.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
    void this.starting;
  }

  private async poisoned(message: StreamMessage, error: unknown): Promise<void> {
    const reason = message.event ? `failed ${message.deliveries} times` : 'not a readable CloudEvent';
    await this.deadLetters.record({
      _id: message.event ? `event:${message.event.id}` : `event:${message.stream}:${message.entryId}`,
      kind: 'event',
      reason,
      error: (error as Error)?.message ?? String(error),
      stream: message.stream,
      entryId: message.entryId,
      eventType: message.event?.type ?? message.fields.type,
      event: message.event,
      attempts: message.deliveries,
    });
    this.logger.warn(`event ${message.event?.id ?? message.entryId} on ${message.stream} dead-lettered: ${reason}`);
  }
}
