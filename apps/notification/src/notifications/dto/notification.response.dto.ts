import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '../../delivery/delivery.schema.js';

export class ProviderResponseDto {
  @ApiPropertyOptional({ example: 503 })
  status?: number;

  @ApiProperty({ example: 'Twilio answered 503: Service Unavailable' })
  message: string;

  @ApiProperty({ example: '2026-01-05T10:00:01.000Z' })
  at: string;
}

export class ChannelDeliveryDto {
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'sent' })
  status: string;

  @ApiProperty({ example: 2 })
  attempts: number;

  @ApiProperty({ example: { pending: '2026-01-05T10:00:00.000Z', queued: '2026-01-05T10:00:00.010Z', sent: '2026-01-05T10:00:01.000Z' } })
  timestamps: Record<string, string>;

  @ApiPropertyOptional({ example: 'quiet_hours', description: 'Why it was skipped (opted_out, no_address), deferred (quiet_hours) or given up' })
  reason?: string;

  @ApiPropertyOptional({ type: ProviderResponseDto })
  lastResponse?: ProviderResponseDto;

  @ApiPropertyOptional({ example: 'SM0123456789abcdef' })
  providerMessageId?: string;

  @ApiPropertyOptional({ example: '2026-01-05T10:00:06.000Z' })
  nextAttemptAt?: string;

  @ApiPropertyOptional({
    example: '2026-01-06T06:00:00.000Z',
    description: 'Held until the end of the recipient’s quiet hours (status queued, reason quiet_hours); kept once sent',
  })
  deferredUntil?: string;
}

export class NotificationChannelsDto {
  @ApiPropertyOptional({ type: ChannelDeliveryDto })
  email?: ChannelDeliveryDto;

  @ApiPropertyOptional({ type: ChannelDeliveryDto })
  sms?: ChannelDeliveryDto;

  @ApiPropertyOptional({ type: ChannelDeliveryDto })
  push?: ChannelDeliveryDto;
}

export class NotificationResponseDto {
  @ApiProperty({ example: '0b6c8a1e-2222-4000-8000-000000000000' })
  id: string;

  @ApiProperty({ example: '5f0c1b9e-1111-4000-8000-000000000000' })
  userId: string;

  @ApiProperty({ example: 'appointment-reminder' })
  template: string;

  @ApiProperty({ example: 3 })
  templateVersion: number;

  @ApiProperty({ example: 'reminders' })
  category: string;

  @ApiProperty({ example: 'en' })
  locale: string;

  @ApiProperty({ enum: ['processing', 'completed', 'failed', 'skipped'], example: 'processing' })
  status: string;

  @ApiProperty({ type: NotificationChannelsDto })
  channels: NotificationChannelsDto;

  @ApiPropertyOptional({ example: true, description: 'True when an Idempotency-Key replayed an earlier request' })
  replayed?: boolean;

  @ApiPropertyOptional({
    example: true,
    description:
      'True when the content carries a one-time link (password reset, email verification): it is not stored once each channel ' +
      'settles (sent, failed, dead_lettered), so a failed channel of it cannot be replayed — the user requests a new link',
  })
  sensitive?: boolean;

  @ApiProperty({ example: '2026-01-05T10:00:00.000Z' })
  createdAt: string;
}

export class DeliveryStatsDto {
  @ApiProperty({ example: 'email' })
  channel: string;

  @ApiProperty({ example: { sent: 120, delivered: 80, failed: 2, skipped: 5 } })
  counts: Record<string, number>;
}
