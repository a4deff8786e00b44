import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationEnv } from '../config/notification.env.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { DeliveryQueues } from '../delivery/delivery.queues.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationsService } from './notifications.service.js';

const INTERVAL_MS = 5_000;
/** Younger than this, the request that created it may still be enqueueing. */
const GRACE_MS = 5_000;

/**
 * Accepted means delivered: finishes notifications whose deliveries were not all created or
 * enqueued (database or Redis away at acceptance), and re-enqueues deliveries whose job was lost
 * with a killed process. Both are no-ops for work still in hand (deterministic ids, BullMQ job ids).
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: NotificationRepository,
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveryRepository,
    private readonly queues: DeliveryQueues,
    private readonly env: NotificationEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const stale = await this.repository.pendingBefore(new Date(Date.now() - GRACE_MS), 500);
    for (const notification of stale) await this.notifications.dispatch(notification);
    // Longer than any job holds a delivery: a lock lapse plus a provider timeout, twice.
    const staleMs = 2 * (this.env.QUEUE_LOCK_MS + this.env.PROVIDER_TIMEOUT_MS);
    const stuck = await this.deliveries.stale(new Date(Date.now() - staleMs), 500);
    await this.queues.enqueue(stuck.map((d) => ({ notificationId: d.notificationId, channel: d.channel, replay: d.replays ?? 0 })));
    return stale.length + stuck.length;
  }
}
