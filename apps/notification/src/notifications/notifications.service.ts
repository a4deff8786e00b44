import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@dentalos/auth';
import { PLATFORM_ADMIN } from '@dentalos/auth';
import { CHANNELS, type Channel } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import type { DeliveryDocument } from '../delivery/delivery.schema.js';
import { DeliveryQueues, deliveryJob } from '../delivery/delivery.queues.js';
import { derivedId, requestHash } from './canonical-json.js';
import type { DeliveryStatsDto, NotificationResponseDto } from './dto/notification.response.dto.js';
import type { ListNotificationsQuery, StatsQuery } from './dto/list-notifications.query.js';
import type { SendNotificationDto } from './dto/send-notification.dto.js';
import { NotificationFactory, type NotificationRequest } from './notification-factory.js';
import { toNotificationResponse } from './notification.mapper.js';
import { NotificationRepository } from './notification.repository.js';
import type { NotificationDocument } from './notification.schema.js';
import { PendingDispatchRepository } from './pending-dispatch.repository.js';
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
    private readonly deliveries: DeliveryRepository,
    private readonly pending: PendingDispatchRepository,
  ) {}

  /**
   * POST /notifications. With an Idempotency-Key (scoped to the caller) the first request wins:
   * the same body again returns the same notification, another body is a 422. `_id` uniqueness
   * settles two concurrent first requests.
   */
  async send(caller: AuthUser, dto: SendNotificationDto, idempotencyKey?: string): Promise<NotificationResponseDto> {
    const size = Buffer.byteLength(JSON.stringify(dto.data));
    if (size > this.env.NOTIFICATION_DATA_LIMIT_BYTES) throw new DataTooLargeError(size, this.env.NOTIFICATION_DATA_LIMIT_BYTES);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw new InvalidIdempotencyKeyError();
    const scopedKey = idempotencyKey === undefined ? undefined : `${caller.id}:${idempotencyKey}`;
    const hash = requestHash(dto);
    if (scopedKey) {
      const existing = await this.repository.byId(derivedId(`idempotency:${scopedKey}`));
      if (existing) return this.replay(existing, hash);
    }
    const request: NotificationRequest = { userId: dto.userId, templateKey: dto.template, data: dto.data, channels: dto.channels, locale: dto.locale };
    const notification = await this.factory.build(request);
    notification.createdBy = caller.id;
    if (scopedKey) Object.assign(notification, { _id: derivedId(`idempotency:${scopedKey}`), idempotencyKey: scopedKey, requestHash: hash });
    if (!(await this.accept(notification))) {
      if (!scopedKey) throw new Error(`notification id ${notification._id} taken`);
      return this.replay((await this.repository.byId(notification._id))!, hash);
    }
    return toNotificationResponse(notification, []);
  }

  /**
   * For event handlers: one notification per (event, template, recipient). A redelivered event
   * finds the notification it created and only makes sure its channels are enqueued.
   */
  async sendForEvent(eventId: string, request: NotificationRequest): Promise<NotificationDocument> {
    const dedupKey = `${eventId}:${request.templateKey}:${request.userId}`;
    const id = derivedId(`event:${dedupKey}`);
    let notification: NotificationDocument;
    try {
      notification = { ...(await this.factory.build(request)), _id: id, dedupKey, eventId };
    } catch (error) {
      // A redelivery after the recipient or template changed: what was accepted before still goes out.
      const existing = await this.repository.byId(id);
      if (!existing) throw error;
      await this.dispatch(existing);
      return existing;
    }
    if (await this.accept(notification)) return notification;
    const existing = (await this.repository.byId(id))!;
    await this.dispatch(existing);
    return existing;
  }

  async get(caller: AuthUser, id: string): Promise<NotificationResponseDto> {
    const notification = await this.repository.byId(id);
    // Someone else's notification is "not found", not "forbidden": ids are not to be probed.
    if (!notification || (notification.userId !== caller.id && !caller.roles.includes(PLATFORM_ADMIN))) throw new NotificationNotFoundError(id);
    return toNotificationResponse(notification, await this.deliveries.byIds(CHANNELS.map((channel) => `${id}:${channel}`)));
  }

  async listMine(caller: AuthUser, query: ListNotificationsQuery): Promise<NotificationResponseDto[]> {
    const notifications = await this.repository.listForUser(caller.id, query.limit, query.offset);
    const deliveries = await this.deliveries.byNotification(notifications.map((n) => n._id));
    return notifications.map((n) => toNotificationResponse(n, deliveries.filter((d) => d.notificationId === n._id)));
  }

  async stats(query: StatsQuery): Promise<DeliveryStatsDto[]> {
    return this.deliveries.stats(query.since);
  }

  /**
   * Stores a notification and dispatches it. The pending-dispatch marker goes first, so that from
   * the moment the notification exists until its deliveries and jobs do, the sweeper can finish
   * what a crash or an outage interrupts. False when the id is taken (a repeat): nothing written.
   */
  private async accept(notification: NotificationDocument): Promise<boolean> {
    await this.pending.mark(notification._id, notification.createdAt);
    if (!(await this.repository.insert(notification))) return false;
    await this.dispatch(notification);
    return true;
  }

  /**
   * Creates the delivery documents the plan calls for (existing ones are kept as they are) and
   * enqueues the queued ones (BullMQ ignores a job id it already holds; quiet hours become a
   * delayed job). A sensitive notification's content is dropped once its deliveries hold it; the
   * pending-dispatch marker stays until then, so the sweeper finishes that too. Safe to repeat: a
   * redelivered event and the sweeper end here too.
   */
  async dispatch(notification: NotificationDocument): Promise<void> {
    const planned = plannedDeliveries(notification);
    try {
      const fresh = await this.deliveries.insertMissing(planned);
      if (notification.sensitive) await this.repository.discardContent(notification._id);
      // A repeat looks at where each delivery got to; a first dispatch knows.
      const current = fresh ? planned : await this.deliveries.byIds(planned.map((delivery) => delivery._id));
      const due = current.filter((delivery) => delivery.status === 'queued' || delivery.status === 'pending');
      await this.queues.enqueue(due.map(deliveryJob));
      await this.pending.clear(notification._id);
    } catch (error) {
      // Accepted and stored: the sweeper finishes it once the database or Redis is back.
      this.logger.warn(`dispatch of ${notification._id} deferred: ${(error as Error).message}`);
    }
  }

  private async replay(existing: NotificationDocument, hash: string): Promise<NotificationResponseDto> {
    if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError();
    return toNotificationResponse(existing, await this.deliveries.byIds(CHANNELS.map((channel) => `${existing._id}:${channel}`)), true);
  }
}

/** One delivery per planned channel; the queued ones carry their content (and its sensitivity) to the worker. */
function plannedDeliveries(notification: NotificationDocument): DeliveryDocument[] {
  const at = notification.createdAt ?? new Date();
  return CHANNELS.flatMap((channel: Channel) => {
    const plan = notification.plan[channel];
    if (!plan) return [];
    return [
      {
        _id: `${notification._id}:${channel}`,
        notificationId: notification._id,
        userId: notification.userId,
        channel,
        status: plan.status,
        to: plan.to,
        content: plan.status === 'queued' ? notification.content?.[channel] : undefined,
        sensitive: notification.sensitive,
        attempts: 0,
        timestamps: { pending: at, [plan.status]: at },
        reason: plan.reason,
        deferredUntil: plan.deferredUntil,
        replays: 0,
      },
    ];
  });
}
