import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationRepository } from './notification.repository.js';
import { NotificationsService } from './notifications.service.js';

const INTERVAL_MS = 5_000;
/** Younger than this, the request that created it may still be enqueueing. */
const GRACE_MS = 5_000;

/** Enqueues channels whose enqueue failed at acceptance (Redis was away): accepted means delivered. */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: NotificationRepository,
    private readonly notifications: NotificationsService,
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
    return stale.length;
  }
}
