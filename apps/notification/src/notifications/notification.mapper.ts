import { CHANNELS } from '../common/channels.js';
import type { DeliveryDocument } from '../delivery/delivery.schema.js';
import type { ChannelDeliveryDto, NotificationResponseDto } from './dto/notification.response.dto.js';
import type { NotificationDocument } from './notification.schema.js';

const IN_FLIGHT = new Set(['pending', 'queued', 'sending']);
const REACHED = new Set(['sent', 'delivered']);

/** One word for the whole notification, from its channels. */
export function overallStatus(statuses: string[]): string {
  if (statuses.some((status) => IN_FLIGHT.has(status))) return 'processing';
  if (statuses.some((status) => REACHED.has(status))) return 'completed';
  if (statuses.every((status) => status === 'skipped')) return 'skipped';
  return 'failed';
}

function toChannelDto(
  delivery: Pick<DeliveryDocument, 'status' | 'attempts' | 'timestamps' | 'reason' | 'providerMessageId' | 'nextAttemptAt' | 'deferredUntil' | 'lastResponse'>,
): ChannelDeliveryDto {
  const timestamps = Object.fromEntries(Object.entries(delivery.timestamps ?? {}).map(([status, at]) => [status, new Date(at).toISOString()]));
  const dto: ChannelDeliveryDto = { status: delivery.status, attempts: delivery.attempts ?? 0, timestamps };
  if (delivery.reason) dto.reason = delivery.reason;
  if (delivery.providerMessageId) dto.providerMessageId = delivery.providerMessageId;
  if (delivery.nextAttemptAt) dto.nextAttemptAt = new Date(delivery.nextAttemptAt).toISOString();
  if (delivery.deferredUntil) dto.deferredUntil = new Date(delivery.deferredUntil).toISOString();
  if (delivery.lastResponse) dto.lastResponse = { ...delivery.lastResponse, at: new Date(delivery.lastResponse.at).toISOString() };
  return dto;
}

/** The notification with each channel's delivery; a channel whose delivery is not written yet shows its plan. */
export function toNotificationResponse(notification: NotificationDocument, deliveries: DeliveryDocument[], replayed?: boolean): NotificationResponseDto {
  const channels: NotificationResponseDto['channels'] = {};
  for (const channel of CHANNELS) {
    const plan = notification.plan[channel];
    if (!plan) continue;
    const delivery = deliveries.find((d) => d.channel === channel);
    const at = notification.createdAt ?? new Date();
    channels[channel] = delivery
      ? toChannelDto(delivery)
      : toChannelDto({ status: plan.status, attempts: 0, timestamps: { pending: at, [plan.status]: at }, reason: plan.reason, deferredUntil: plan.deferredUntil });
  }
  const dto: NotificationResponseDto = {
    id: notification._id,
    userId: notification.userId,
    template: notification.templateKey,
    templateVersion: notification.templateVersion,
    category: notification.category,
    locale: notification.locale,
    status: overallStatus(Object.values(channels).map((c) => c.status)),
    channels,
    createdAt: new Date(notification.createdAt ?? Date.now()).toISOString(),
  };
  if (notification.sensitive) dto.sensitive = true;
  if (replayed) dto.replayed = true;
  return dto;
}
