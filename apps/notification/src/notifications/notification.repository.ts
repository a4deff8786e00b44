import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Channel } from '../common/channels.js';
import { type DeliveryStatus, NOTIFICATION_MODEL, type NotificationDocument, type ProviderResponse } from './notification.schema.js';

const at = (channel: Channel, field: string) => `channels.${channel}.${field}`;

export interface ChannelStats {
  channel: Channel;
  counts: Partial<Record<DeliveryStatus, number>>;
}

@Injectable()
export class NotificationRepository {
  constructor(@InjectModel(NOTIFICATION_MODEL) private readonly notifications: Model<NotificationDocument>) {}

  async insert(notification: Omit<NotificationDocument, 'createdAt' | 'updatedAt'>): Promise<void> {
    await this.notifications.create(notification);
  }

  byId(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findById(id).lean<NotificationDocument>().exec();
  }

  byIdempotencyKey(key: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ idempotencyKey: key }).lean<NotificationDocument>().exec();
  }

  byDedupKey(key: string): Promise<NotificationDocument | null> {
    return this.notifications.findOne({ dedupKey: key }).lean<NotificationDocument>().exec();
  }

  listForUser(userId: string, limit: number, offset: number): Promise<NotificationDocument[]> {
    return this.notifications
      .find({ userId }, { content: 0 })
      .sort({ createdAt: -1 })
      .skip(offset)
      .limit(limit)
      .lean<NotificationDocument[]>()
      .exec();
  }

  /** Notifications with a channel that could not be enqueued, oldest first. */
  pendingBefore(before: Date, limit: number): Promise<NotificationDocument[]> {
    return this.notifications
      .find({ pendingSince: { $lte: before } }, { channels: 1 })
      .sort({ pendingSince: 1 })
      .limit(limit)
      .lean<NotificationDocument[]>()
      .exec();
  }

  /** pending → queued; conditional, so it never overwrites a worker that was faster. */
  async markQueued(id: string, channels: Channel[], now: Date): Promise<void> {
    await Promise.all(
      channels.map((channel) =>
        this.notifications.updateOne(
          { _id: id, [at(channel, 'status')]: 'pending' },
          { $set: { [at(channel, 'status')]: 'queued', [at(channel, 'timestamps.queued')]: now } },
        ),
      ),
    );
    await this.notifications.updateOne({ _id: id }, { $unset: { pendingSince: '' } });
  }

  /**
   * Claims a channel for sending. Only a channel that is not settled can be claimed ('sending' is
   * accepted so that a job whose worker died mid-send is finished by the next one).
   */
  beginSending(id: string, channel: Channel, now: Date): Promise<NotificationDocument | null> {
    return this.notifications
      .findOneAndUpdate(
        { _id: id, [at(channel, 'status')]: { $in: ['pending', 'queued', 'sending'] } },
        { $set: { [at(channel, 'status')]: 'sending', [at(channel, 'timestamps.sending')]: now }, $inc: { [at(channel, 'attempts')]: 1 } },
        { new: true, projection: { userId: 1, [`content.${channel}`]: 1, [`channels.${channel}`]: 1 } },
      )
      .lean<NotificationDocument>()
      .exec();
  }

  async markSent(id: string, channel: Channel, providerMessageId: string, response: ProviderResponse): Promise<void> {
    await this.notifications.updateOne(
      { _id: id, [at(channel, 'status')]: 'sending' },
      {
        $set: {
          [at(channel, 'status')]: 'sent',
          [at(channel, 'timestamps.sent')]: response.at,
          [at(channel, 'providerMessageId')]: providerMessageId,
          [at(channel, 'lastResponse')]: response,
        },
        $unset: { [at(channel, 'nextAttemptAt')]: '' },
      },
    );
  }

  async markRetrying(id: string, channel: Channel, response: ProviderResponse, nextAttemptAt: Date): Promise<void> {
    await this.notifications.updateOne(
      { _id: id, [at(channel, 'status')]: 'sending' },
      {
        $set: {
          [at(channel, 'status')]: 'queued',
          [at(channel, 'timestamps.queued')]: response.at,
          [at(channel, 'lastResponse')]: response,
          [at(channel, 'nextAttemptAt')]: nextAttemptAt,
        },
      },
    );
  }

  async markFinal(id: string, channel: Channel, status: 'failed' | 'dead_lettered', response: ProviderResponse, reason: string): Promise<void> {
    await this.notifications.updateOne(
      { _id: id, [at(channel, 'status')]: 'sending' },
      {
        $set: {
          [at(channel, 'status')]: status,
          [at(channel, 'timestamps.' + status)]: response.at,
          [at(channel, 'lastResponse')]: response,
          [at(channel, 'reason')]: reason,
        },
        $unset: { [at(channel, 'nextAttemptAt')]: '' },
      },
    );
  }

  /** failed/dead_lettered → queued for a replay; returns the new replay number, or null when not replayable. */
  async markReplayed(id: string, channel: Channel, now: Date): Promise<number | null> {
    const updated = await this.notifications
      .findOneAndUpdate(
        { _id: id, [at(channel, 'status')]: { $in: ['failed', 'dead_lettered'] } },
        { $set: { [at(channel, 'status')]: 'queued', [at(channel, 'timestamps.queued')]: now }, $inc: { [at(channel, 'replays')]: 1 } },
        { new: true, projection: { [`channels.${channel}`]: 1 } },
      )
      .lean<NotificationDocument>()
      .exec();
    return updated ? (updated.channels[channel]?.replays ?? 1) : null;
  }

  /** A provider's delivery report: sent → delivered, or sent/delivered → bounced. */
  async applyReport(channel: Channel, providerMessageId: string, status: 'delivered' | 'bounced', response: ProviderResponse): Promise<NotificationDocument | null> {
    const from = status === 'delivered' ? ['sending', 'sent'] : ['sending', 'sent', 'delivered'];
    return this.notifications
      .findOneAndUpdate(
        { [at(channel, 'providerMessageId')]: providerMessageId, [at(channel, 'status')]: { $in: from } },
        { $set: { [at(channel, 'status')]: status, [at(channel, 'timestamps.' + status)]: response.at, [at(channel, 'lastResponse')]: response } },
        { new: true, projection: { content: 0 } },
      )
      .lean<NotificationDocument>()
      .exec();
  }

  existsWithProviderId(channel: Channel, providerMessageId: string): Promise<boolean> {
    return this.notifications.exists({ [at(channel, 'providerMessageId')]: providerMessageId }).then(Boolean);
  }

  async stats(channels: readonly Channel[], since?: Date): Promise<ChannelStats[]> {
    const match = since ? [{ $match: { createdAt: { $gte: since } } }] : [];
    return Promise.all(
      channels.map(async (channel) => {
        const rows = await this.notifications.aggregate<{ _id: DeliveryStatus | null; count: number }>([
          ...match,
          { $group: { _id: `$channels.${channel}.status`, count: { $sum: 1 } } },
        ]);
        const counts: Partial<Record<DeliveryStatus, number>> = {};
        for (const row of rows) if (row._id) counts[row._id] = row.count;
        return { channel, counts };
      }),
    );
  }
}
