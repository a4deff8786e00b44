import { CHANNELS } from '../common/channels.js';
import type { ChannelDeliveryDto, NotificationResponseDto } from './dto/notification.response.dto.js';
import type { ChannelDelivery, NotificationDocument } from './notification.schema.js';

const IN_FLIGHT = new Set(['pending', 'queued', 'sending']);
const REACHED = new Set(['sent', 'delivered']);

/** One word for the whole notification, from its channels. */
export function overallStatus(notification: Pick<NotificationDocument, 'channels'>): string {
  const statuses = CHANNELS.map((channel) => notification.channels[channel]?.status).filter((status) => status !== undefined);
  if (statuses.some((status) => IN_FLIGHT.has(status))) return 'processing';
  if (statuses.some((status) => REACHED.has(status))) return 'completed';
  if (statuses.every((status) => status === 'skipped')) return 'skipped';
  return 'failed';
}

function toChannelDto(delivery: ChannelDelivery): ChannelDeliveryDto {
  const timestamps = Object.fromEntries(Object.entries(delivery.timestamps ?? {}).map(([status, at]) => [status, new Date(at).toISOString()]));
  const dto: ChannelDeliveryDto = { status: delivery.status, attempts: delivery.attempts ?? 0, timestamps };
  if (delivery.reason) dto.reason = delivery.reason;
  if (delivery.providerMessageId) dto.providerMessageId = delivery.providerMessageId;
  if (delivery.nextAttemptAt) dto.nextAttemptAt = new Date(delivery.nextAttemptAt).toISOString();
  if (delivery.lastResponse) dto.lastResponse = { ...delivery.lastResponse, at: new Date(delivery.lastResponse.at).toISOString() };
  return dto;
}

export function toNotificationResponse(notification: NotificationDocument, replayed?: boolean): NotificationResponseDto {
  const channels: NotificationResponseDto['channels'] = {};
  for (const channel of CHANNELS) {
    const delivery = notification.channels[channel];
    if (delivery) channels[channel] = toChannelDto(delivery);
  }
  const dto: NotificationResponseDto = {
    id: notification._id,
    userId: notification.userId,
    template: notification.templateKey,
    templateVersion: notification.templateVersion,
    category: notification.category,
    locale: notification.locale,
    status: overallStatus(notification),
    channels,
    createdAt: new Date(notification.createdAt).toISOString(),
  };
  if (replayed) dto.replayed = true;
  return dto;
}
