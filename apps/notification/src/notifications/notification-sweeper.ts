import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationEnv } from '../config/notification.env.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { DeliveryQueues, deliveryJob } from '../delivery/delivery.queues.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationsService } from './notifications.service.js';
import { PendingDispatchRepository } from './pending-dispatch.repository.js';

const INTERVAL_MS = 5_000;
/** Younger than this, the request that wrote the marker may still be dispatching. */
const GRACE_MS = 5_000;
/** A marker whose notification never appeared this long after: the request failed before storing it. */
const ABANDONED_MS = 10 * 60_000;

/**
 * Accepted means delivered: finishes notifications whose deliveries were not all created or
 * enqueued (database or Redis away at acceptance, or a crash), and re-enqueues deliveries whose job
 * was lost with a killed process or Redis, or failed without settling them (their outcome could not
 * be recorded). Both are no-ops for work still in hand (deterministic ids, BullMQ job ids).
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer?: NodeJS.Timeout;
  private lastStaleSweep = 0;

  constructor(
    private readonly repository: NotificationRepository,
    private readonly pending: PendingDispatchRepository,
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveryRepository,
    private readonly queues: DeliveryQueues,
    private readonly env: NotificationEnv,
  ) {}

  /** Longer than any job holds a delivery: a lock lapse plus a provider timeout, twice. */
  private get staleMs(): number {
    return 2 * (this.env.QUEUE_LOCK_MS + this.env.PROVIDER_TIMEOUT_MS);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`)), INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const now = Date.now();
    const markers = await this.pending.olderThan(new Date(now - GRACE_MS), 500);
    for (const marker of markers) {
      const notification = await this.repository.byId(marker._id);
      if (notification) await this.notifications.dispatch(notification);
      else if (new Date(marker.at).getTime() < now - ABANDONED_MS) await this.pending.clear(marker._id);
    }
    // Looking for lost jobs is a query over all deliveries (on the local FerretDB, a read of every
    // one of them): no more often than a job can go stale, far less often than markers need finishing.
    if (now - this.lastStaleSweep < this.staleMs / 2) return markers.length;
    this.lastStaleSweep = now;
    const stuck = await this.deliveries.stale(new Date(now - this.staleMs), 500);
    await this.queues.requeue(stuck.map(deliveryJob));
    return markers.length + stuck.length;
  }
}
