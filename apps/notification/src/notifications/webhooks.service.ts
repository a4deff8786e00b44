import { timingSafeEqual, createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Channel } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import type { DeliveryReportDto, DeliveryReportResultDto } from './dto/webhook.dto.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { ProviderMessageNotFoundError, WebhookUnauthorizedError } from './notifications.errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

@Injectable()
export class WebhooksService {
  constructor(
    private readonly env: NotificationEnv,
    private readonly repository: DeliveryRepository,
  ) {}

  async report(channel: Channel, secret: string | undefined, dto: DeliveryReportDto): Promise<DeliveryReportResultDto> {
    // Compared as fixed-length digests in constant time, so neither length nor content leaks.
    if (!secret || !timingSafeEqual(digest(secret), digest(this.env.WEBHOOK_SECRET))) throw new WebhookUnauthorizedError();
    const response = { message: dto.detail ?? dto.event, at: new Date() };
    const updated = await this.repository.applyReport(channel, dto.messageId, dto.event, response);
    if (updated) return { applied: true, status: dto.event };
    if (!(await this.repository.existsWithProviderId(channel, dto.messageId))) throw new ProviderMessageNotFoundError(dto.messageId);
    return { applied: false, status: dto.event };
  }
}
