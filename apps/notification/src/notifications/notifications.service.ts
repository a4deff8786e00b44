import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@dentalos/auth';
import { PLATFORM_ADMIN } from '@dentalos/auth';
import { CHANNELS, type Channel } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import { DeliveryQueues } from '../delivery/delivery.queues.js';
import { isDuplicateKey } from '../templates/template.repository.js';
import { requestHash } from './canonical-json.js';
import type { DeliveryStatsDto, NotificationResponseDto } from './dto/notification.response.dto.js';
import type { ListNotificationsQuery, StatsQuery } from './dto/list-notifications.query.js';
import type { SendNotificationDto } from './dto/send-notification.dto.js';
import { NotificationFactory, type NotificationRequest } from './notification-factory.js';
import { toNotificationResponse } from './notification.mapper.js';
import { NotificationRepository } from './notification.repository.js';
import type { NotificationDocument } from './notification.schema.js';
import { DataTooLargeError, IdempotencyKeyReusedError, InvalidIdempotencyKeyError, NotificationNotFoundError } from './notifications.errors.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly env: NotificationEnv,
    private readonly repository: NotificationRepository,
    private readonly factory: NotificationFactory,
    private readonly queues: DeliveryQueues,
  ) {}

  /**
   * POST /notifications. With an Idempotency-Key (scoped to the caller) the first request wins:
   * the same body again returns the same notification, another body is a 422. The unique index
   * settles two concurrent first requests.
   */
  async send(caller: AuthUser, dto: SendNotificationDto, idempotencyKey?: string): Promise<NotificationResponseDto> {
    const size = Buffer.byteLength(JSON.stringify(dto.data));
    if (size > this.env.NOTIFICATION_DATA_LIMIT_BYTES) throw new DataTooLargeError(size, this.env.NOTIFICATION_DATA_LIMIT_BYTES);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new InvalidIdempotencyKeyError();
    const scopedKey = idempotencyKey === undefined ? undefined : `${caller.id}:${idempotencyKey}`;
    const hash = requestHash(dto);
    if (scopedKey) {
      const existing = await this.repository.byIdempotencyKey(scopedKey);
      if (existing) return this.replay(existing, hash);
    }
    const request: NotificationRequest = { userId: dto.userId, templateKey: dto.template, data: dto.data, channels: dto.channels, locale: dto.locale };
    const notification = await this.factory.build(request);
    notification.createdBy = caller.id;
    if (scopedKey) Object.assign(notification, { idempotencyKey: scopedKey, requestHash: hash });
    try {
      await this.repository.insert(notification);
    } catch (error) {
      if (!scopedKey || !isDuplicateKey(error)) throw error;
      return this.replay((await this.repository.byIdempotencyKey(scopedKey))!, hash);
    }
    const queuedAt = await this.enqueue(notification._id, notification.channels);
    for (const channel of queuedAt ? CHANNELS : []) {
      const delivery = notification.channels[channel];
      if (delivery?.status === 'pending') Object.assign(delivery, { status: 'queued', timestamps: { ...delivery.timestamps, queued: queuedAt } });
    }
    return toNotificationResponse({ ...notification, createdAt: new Date(), updatedAt: new Date() });
  }

  /**
   * For event handlers: one notification per (event, template, recipient). A redelivered event
   * finds the notification it created and only makes sure its channels are enqueued.
   */
  async sendForEvent(eventId: string, request: NotificationRequest): Promise<NotificationDocument> {
    const dedupKey = `${eventId}:${request.templateKey}:${request.userId}`;
    const existing = await this.repository.byDedupKey(dedupKey);
    if (existing) {
      await this.ensureEnqueued(existing);
      return existing;
    }
    const notification = { ...(await this.factory.build(request)), dedupKey, eventId };
    try {
      await this.repository.insert(notification);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = (await this.repository.byDedupKey(dedupKey))!;
      await this.ensureEnqueued(winner);
      return winner;
    }
    await this.enqueue(notification._id, notification.channels);
    return { ...notification, createdAt: new Date(), updatedAt: new Date() };
  }

  async get(caller: AuthUser, id: string): Promise<NotificationResponseDto> {
    const notification = await this.repository.byId(id);
    // Someone else's notification is "not found", not "forbidden": ids are not to be probed.
    if (!notification || (notification.userId !== caller.id && !caller.roles.includes(PLATFORM_ADMIN))) throw new NotificationNotFoundError(id);
    return toNotificationResponse(notification);
  }

  async listMine(caller: AuthUser, query: ListNotificationsQuery): Promise<NotificationResponseDto[]> {
    return (await this.repository.listForUser(caller.id, query.limit, query.offset)).map((notification) => toNotificationResponse(notification));
  }

  async stats(query: StatsQuery): Promise<DeliveryStatsDto[]> {
    return this.repository.stats(CHANNELS, query.since);
  }

  /** Enqueues channels that are pending or queued (BullMQ ignores a job id it already holds). */
  async ensureEnqueued(notification: Pick<NotificationDocument, '_id' | 'channels'>): Promise<void> {
    await this.enqueue(notification._id, notification.channels, ['pending', 'queued']);
  }

  private async replay(existing: NotificationDocument, hash: string): Promise<NotificationResponseDto> {
    if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError();
    await this.ensureEnqueued(existing);
    return toNotificationResponse(existing, true);
  }

  /** Returns when the channels were queued, or undefined when enqueueing has to wait. */
  private async enqueue(id: string, channels: NotificationDocument['channels'], statuses = ['pending']): Promise<Date | undefined> {
    const due = CHANNELS.filter((channel) => statuses.includes(channels[channel]?.status ?? ''));
    if (due.length === 0) return undefined;
    try {
      await this.queues.enqueue(due.map((channel: Channel) => ({ notificationId: id, channel, replay: channels[channel]?.replays ?? 0 })));
      const now = new Date();
      await this.repository.markQueued(id, due, now);
      return now;
    } catch (error) {
      // Accepted and stored: the sweeper enqueues it once Redis is back.
      this.logger.warn(`enqueue of ${id} deferred: ${(error as Error).message}`);
      return undefined;
    }
  }
}
