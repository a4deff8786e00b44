import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { RetryPolicy } from '@dentalos/resilience';
import { DelayedError, type Job, Worker } from 'bullmq';
import { CHANNELS, type Channel, type ChannelContents } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository.js';
import { DeliveryRepository } from './delivery.repository.js';
import { retryDelay } from './backoff.js';
import { Senders } from './channels/senders.js';
import { type DeliveryJob, DeliveryQueues, queueName } from './delivery.queues.js';
import { toProviderError } from './provider-error.js';
import { ProviderCalls } from './provider-calls.js';

/**
 * Runs the per-channel workers. A job moves its channel queued → sending → sent; a transient
 * failure goes back to queued and is retried by BullMQ with backoff; a permanent one ends as
 * `failed`, an exhausted one as `dead_lettered` — both kept in dead letters for replay.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private readonly workers: Worker<DeliveryJob>[] = [];
  private readonly outcomes: ReturnType<MetricsRegistry['counter']>;
  /**
   * Recording the outcome of a send that already happened is retried on the spot: giving up
   * would leave the delivery in `sending`, and a later run would send it again.
   */
  private readonly record = new RetryPolicy({ name: 'notification-record', maxAttempts: 6, backoff: { type: 'exponential' }, retryOn: () => true });

  constructor(
    private readonly env: NotificationEnv,
    private readonly queues: DeliveryQueues,
    private readonly deliveries: DeliveryRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly senders: Senders,
    private readonly calls: ProviderCalls,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter('notification_deliveries_total', 'Delivery attempts by outcome', ['channel', 'outcome']);
  }

  onApplicationBootstrap(): void {
    const concurrency: Record<Channel, number> = { email: this.env.EMAIL_CONCURRENCY, sms: this.env.SMS_CONCURRENCY, push: this.env.PUSH_CONCURRENCY };
    for (const channel of CHANNELS) {
      const worker = new Worker<DeliveryJob>(queueName(channel), (job, token) => this.process(job, token), {
        connection: this.queues.connection,
        prefix: this.queues.prefix,
        concurrency: concurrency[channel],
        lockDuration: this.env.QUEUE_LOCK_MS,
        stalledInterval: Math.max(500, Math.floor(this.env.QUEUE_LOCK_MS / 2)),
        settings: { backoffStrategy: (attemptsMade: number) => retryDelay(this.env.DELIVERY_RETRY_DELAYS_MS, attemptsMade) },
      });
      worker.on('error', (error) => this.logger.warn(`${channel} worker: ${error.message}`));
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets running sends finish; jobs not started stay in Redis for the next process.
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  async process(job: Job<DeliveryJob>, token?: string): Promise<void> {
    const { notificationId, channel } = job.data;
    const id = `${notificationId}:${channel}`;
    let delivery;
    try {
      delivery = await this.deliveries.beginSending(id, new Date());
    } catch (error) {
      // The database, not the provider, failed: try again shortly without using up a delivery attempt.
      this.logger.warn(`${channel} delivery of ${notificationId} postponed: ${(error as Error).message}`);
      await job.moveToDelayed(Date.now() + 1_000, token);
      throw new DelayedError();
    }
    // Already settled (sent, skipped, replayed elsewhere): a repeated job never sends twice.
    if (!delivery?.to || !delivery.content) return;
    const content = delivery.content as NonNullable<ChannelContents[typeof channel]>;
    let result;
    try {
      result = await this.calls.call(this.senders.provider(channel), () => this.senders.send(channel, delivery.to!, content, `${notificationId}.${channel}`));
    } catch (error) {
      return this.fail(job, error);
    }
    const at = new Date();
    await this.record.execute(() => this.deliveries.markSent(id, result.providerMessageId, { status: result.status, message: result.message, at }));
    this.outcomes.inc({ channel, outcome: 'sent' });
  }

  private async fail(job: Job<DeliveryJob>, error: unknown): Promise<void> {
    const { notificationId, channel } = job.data;
    const id = `${notificationId}:${channel}`;
    const failure = toProviderError(error);
    const response = { status: failure.status, message: failure.message, at: new Date() };
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    if (failure.transient && attempt < maxAttempts) {
      const nextAttemptAt = new Date(Date.now() + (this.env.DELIVERY_RETRY_DELAYS_MS[attempt - 1] ?? 0));
      await this.record.execute(() => this.deliveries.markRetrying(id, response, nextAttemptAt));
      this.outcomes.inc({ channel, outcome: 'retried' });
      throw failure; // BullMQ schedules the next attempt with the jittered backoff.
    }
    const status = failure.transient ? 'dead_lettered' : 'failed';
    const reason = failure.transient ? `gave up after ${attempt} attempts` : 'rejected by the provider';
    await this.record.execute(() => this.deliveries.markFinal(id, status, response, reason));
    await this.record.execute(() => this.deadLetters.record({
      _id: `delivery:${notificationId}:${channel}`,
      kind: 'delivery',
      reason,
      error: failure.message,
      notificationId,
      channel,
      attempts: attempt,
    }));
    this.outcomes.inc({ channel, outcome: status });
    this.logger.warn(`${channel} delivery of ${notificationId} ${status}: ${failure.message}`);
  }
}
