import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { RetryPolicy } from '@dentalos/resilience';
import { DelayedError, type Job, Worker } from 'bullmq';
import { CHANNELS, type Channel, type ChannelContents } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository.js';
import { DeliveryRepository, type Settlement } from './delivery.repository.js';
import { type DeliveryDocument, UNSETTLED_STATUSES } from './delivery.schema.js';
import { retryDelay } from './backoff.js';
import type { SendResult } from './channels/channel-sender.js';
import { Senders } from './channels/senders.js';
import { type DeliveryJob, DeliveryQueues, queueName } from './delivery.queues.js';
import { toProviderError } from './provider-error.js';
import { ProviderCalls } from './provider-calls.js';
import { type LedgerEntry, SendLedger } from './send-ledger.js';

/** A provider call still running after this long shows the delivery as `sending`. */
const SENDING_VISIBLE_AFTER_MS = 1_000;

/** A sensitive delivery keeps its content for retries only: settling it drops the content. */
const settlementOf = (delivery: Pick<DeliveryDocument, 'sensitive'>): Settlement => ({ discardContent: delivery.sensitive === true });

/**
 * Runs the per-channel workers. A job moves its channel queued → sending → sent; a transient
 * failure goes back to queued and is retried by BullMQ with backoff; a permanent one ends as
 * `failed`, an exhausted one as `dead_lettered` — both kept in dead letters for replay. One
 * attempt costs one point read and one conditional write (plus a `sending` write when the provider
 * is slow): writes are what the database serializes.
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
    private readonly ledger: SendLedger,
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
    let delivery: DeliveryDocument | null;
    let sentBefore: LedgerEntry | null = null;
    try {
      delivery = await this.deliveries.get(id);
      if (delivery && UNSETTLED_STATUSES.includes(delivery.status)) sentBefore = await this.ledger.find(id, delivery.replays ?? 0);
    } catch (error) {
      // The database or Redis, not the provider, failed: try again shortly without using up a delivery attempt.
      return this.postpone(job, token, Date.now() + 1_000, `${channel} delivery of ${notificationId} postponed: ${(error as Error).message}`);
    }
    // Already settled (sent, skipped, replayed elsewhere): a repeated job never sends twice.
    if (!delivery || !UNSETTLED_STATUSES.includes(delivery.status) || !delivery.to || !delivery.content) return;
    // Quiet hours: a job that comes early (a re-enqueued one) waits for the end of the window.
    if (delivery.deferredUntil && new Date(delivery.deferredUntil).getTime() > Date.now()) {
      return this.postpone(job, token, new Date(delivery.deferredUntil).getTime());
    }
    const replay = delivery.replays ?? 0;
    const settlement = settlementOf(delivery);
    if (sentBefore) {
      // The provider took it before a crash kept the outcome from the database: record it, do not send again.
      const { providerMessageId, status, message } = sentBefore;
      const at = new Date(sentBefore.at);
      await this.record.execute(() => this.deliveries.markSent(id, at, providerMessageId, { status, message, at }, settlement));
      this.outcomes.inc({ channel, outcome: 'sent' });
      return;
    }
    const content = delivery.content as NonNullable<ChannelContents[typeof channel]>;
    const to = delivery.to;
    const startedAt = new Date();
    // A fast send records `sending` with its outcome, in one write; a slow one shows `sending` meanwhile.
    let claim: Promise<void> | undefined;
    const slow = setTimeout(() => {
      claim = this.deliveries.markSending(id, startedAt).catch((error: Error) => this.logger.warn(`sending of ${id} not recorded: ${error.message}`));
    }, SENDING_VISIBLE_AFTER_MS);
    let result: SendResult;
    try {
      result = await this.calls.call(this.senders.provider(channel), () => this.senders.send(channel, to, content, `${notificationId}.${channel}`));
    } catch (error) {
      clearTimeout(slow);
      await claim;
      return this.fail(job, error, startedAt, settlement);
    }
    clearTimeout(slow);
    const at = new Date();
    // First the ledger (fast), then the database: the window in which a crash repeats this send is the ledger write alone.
    await this.ledger.record(id, replay, result, at).catch((error: Error) => this.logger.warn(`send ledger: ${error.message}`));
    await claim;
    await this.record.execute(() => this.deliveries.markSent(id, startedAt, result.providerMessageId, { status: result.status, message: result.message, at }, settlement));
    this.outcomes.inc({ channel, outcome: 'sent' });
  }

  private async postpone(job: Job<DeliveryJob>, token: string | undefined, until: number, why?: string): Promise<never> {
    if (why) this.logger.warn(why);
    await job.moveToDelayed(until, token);
    throw new DelayedError();
  }

  private async fail(job: Job<DeliveryJob>, error: unknown, startedAt: Date, settlement: Settlement): Promise<void> {
    const { notificationId, channel } = job.data;
    const id = `${notificationId}:${channel}`;
    const failure = toProviderError(error);
    const response = { status: failure.status, message: failure.message, at: new Date() };
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    if (failure.transient && attempt < maxAttempts) {
      const nextAttemptAt = new Date(Date.now() + (this.env.DELIVERY_RETRY_DELAYS_MS[attempt - 1] ?? 0));
      await this.record.execute(() => this.deliveries.markRetrying(id, startedAt, response, nextAttemptAt));
      this.outcomes.inc({ channel, outcome: 'retried' });
      throw failure; // BullMQ schedules the next attempt with the jittered backoff.
    }
    const status = failure.transient ? 'dead_lettered' : 'failed';
    const reason = failure.transient ? `gave up after ${attempt} attempts` : 'rejected by the provider';
    await this.record.execute(() => this.deliveries.markFinal(id, startedAt, status, response, reason, settlement));
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
