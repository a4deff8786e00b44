import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CHANNELS, type Channel } from '../common/channels.js';
import { GroupCommit } from '../common/group-commit.js';
import { NotificationEnv } from '../config/notification.env.js';
import type { DeliveryDocument } from './delivery.schema.js';

export interface DeliveryJob {
  notificationId: string;
  channel: Channel;
}

export interface EnqueueRequest extends DeliveryJob {
  /** 0 for the first delivery; each replay needs a job id of its own. */
  replay?: number;
  /** Not to be sent before then (quiet hours): a delayed job. */
  notBefore?: Date;
}

export const queueName = (channel: Channel) => `notification-${channel}`;

/** One job per delivery and replay: enqueueing it again is a no-op while BullMQ holds the job. */
const jobIdOf = ({ notificationId, channel, replay }: EnqueueRequest): string => `${notificationId}-${channel}-${replay ?? 0}`;

/** The job that sends a delivery: its current replay, held until its quiet hours end. */
export function deliveryJob(delivery: Pick<DeliveryDocument, 'notificationId' | 'channel' | 'replays' | 'deferredUntil'>): EnqueueRequest {
  const { notificationId, channel, replays, deferredUntil } = delivery;
  return { notificationId, channel, replay: replays ?? 0, notBefore: deferredUntil ? new Date(deferredUntil) : undefined };
}

/**
 * One BullMQ queue per channel on a connection of its own: BullMQ needs
 * `maxRetriesPerRequest: null` (its blocking commands must wait), unlike the shared fail-fast client.
 */
@Injectable()
export class DeliveryQueues implements OnApplicationShutdown {
  readonly connection: Redis;
  readonly prefix: string;
  private readonly queues: Record<Channel, Queue<DeliveryJob>>;
  private readonly logger = new Logger(DeliveryQueues.name);

  constructor(private readonly env: NotificationEnv) {
    this.connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'bullmq' });
    this.connection.on('error', (error: Error) => this.logger.warn(`queue connection: ${error.message}`));
    this.prefix = `${env.REDIS_KEY_PREFIX}bull`;
    this.queues = Object.fromEntries(
      CHANNELS.map((channel) => [channel, new Queue<DeliveryJob>(queueName(channel), { connection: this.connection, prefix: this.prefix })]),
    ) as Record<Channel, Queue<DeliveryJob>>;
  }

  /** Attempts = one more than the configured retry delays. */
  get attempts(): number {
    return this.env.DELIVERY_RETRY_DELAYS_MS.length + 1;
  }

  /**
   * The job id is derived from the notification, channel and replay number, so enqueueing the same
   * delivery twice (event redelivered, sweeper racing a request) creates one job. Jobs enqueued at
   * the same time (concurrent acceptances) go to Redis in one `addBulk` per channel.
   */
  enqueue(requests: EnqueueRequest[]): Promise<unknown> {
    return Promise.all(requests.map((request) => this.adds.submit(request)));
  }

  /**
   * Enqueues deliveries still unsettled whose job is gone or gave up: a job that failed (its
   * outcome could not be recorded) is kept for a while under the same id and would make the add a
   * no-op, so it goes first. A job in any other state is left alone, so an add stays a no-op for
   * work in hand.
   */
  async requeue(requests: EnqueueRequest[]): Promise<void> {
    await Promise.all(requests.map((request) => this.removeIfFailed(request)));
    await this.enqueue(requests);
  }

  private async removeIfFailed(request: EnqueueRequest): Promise<void> {
    const queue = this.queues[request.channel];
    const jobId = jobIdOf(request);
    if ((await queue.getJobState(jobId)) === 'failed') await queue.remove(jobId);
  }

  private readonly adds = new GroupCommit<EnqueueRequest>(async (requests) => {
    const options: JobsOptions = { attempts: this.attempts, backoff: { type: 'jittered' }, removeOnComplete: true, removeOnFail: 1_000 };
    const now = Date.now();
    await Promise.all(
      CHANNELS.map(async (channel) => {
        const jobs = requests.filter((request) => request.channel === channel);
        if (jobs.length === 0) return;
        await this.queues[channel].addBulk(
          jobs.map((request) => {
            const delay = request.notBefore ? request.notBefore.getTime() - now : 0;
            return {
              name: channel,
              // Ids only: what is sent (a one-time link, say) stays in the database, never in Redis.
              data: { notificationId: request.notificationId, channel },
              opts: { ...options, jobId: jobIdOf(request), ...(delay > 0 ? { delay } : {}) },
            };
          }),
        );
      }),
    );
  });

  /** Job counts per state, for `notification_queue_depth{channel,state}`. */
  async depth(): Promise<{ channel: Channel; counts: Record<string, number> }[]> {
    return Promise.all(
      CHANNELS.map(async (channel) => ({ channel, counts: await this.queues[channel].getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized') })),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
