import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Channel } from '../common/channels.js';
import { DELIVERY_MODEL, type DeliveryDocument, type DeliveryStatus, type ProviderResponse } from './delivery.schema.js';

const DUPLICATE_KEY = 11000;

export interface ChannelStats {
  channel: Channel;
  counts: Partial<Record<DeliveryStatus, number>>;
}

/** Every write names the status it expects, so a late or repeated writer cannot move a delivery backwards. */
@Injectable()
export class DeliveryRepository {
  constructor(@InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>) {}

  /**
   * Creates the deliveries that do not exist yet (ids are deterministic; existing ones are left
   * alone). Returns false when some already existed, i.e. this is a repeat.
   */
  async insertMissing(deliveries: DeliveryDocument[]): Promise<boolean> {
    if (deliveries.length === 0) return true;
    try {
      await this.deliveries.insertMany(deliveries, { ordered: false });
      return true;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[]; code?: number }).writeErrors;
      const codes = writeErrors?.map((e) => e.code ?? e.err?.code) ?? [(error as { code?: number }).code];
      if (!codes.every((code) => code === DUPLICATE_KEY)) throw error;
      return false;
    }
  }

  byNotification(notificationIds: string[]): Promise<DeliveryDocument[]> {
    return this.deliveries
      .find({ notificationId: { $in: notificationIds } }, { content: 0 })
      .lean<DeliveryDocument[]>()
      .exec();
  }

  /** One `_id` lookup each (kept as separate point reads: they stay cheap on every document store). */
  async byIds(ids: string[]): Promise<DeliveryDocument[]> {
    const found = await Promise.all(ids.map((id) => this.deliveries.findById(id, { content: 0 }).lean<DeliveryDocument>().exec()));
    return found.filter((delivery): delivery is DeliveryDocument => delivery !== null);
  }

  /**
   * Claims a delivery for sending. Only an unsettled one can be claimed ('sending' is accepted so
   * that a job whose worker died mid-send is finished by the next one).
   */
  beginSending(id: string, now: Date): Promise<DeliveryDocument | null> {
    return this.deliveries
      .findOneAndUpdate(
        { _id: id, status: { $in: ['pending', 'queued', 'sending'] } },
        { $set: { status: 'sending', 'timestamps.sending': now }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<DeliveryDocument>()
      .exec();
  }

  /** Deliveries in queued/sending untouched since `before`, oldest first. */
  stale(before: Date, limit: number): Promise<DeliveryDocument[]> {
    return this.deliveries
      .find({ status: { $in: ['queued', 'sending'] }, updatedAt: { $lte: before } }, { content: 0 })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .lean<DeliveryDocument[]>()
      .exec();
  }

  async markSent(id: string, providerMessageId: string, response: ProviderResponse): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id, status: 'sending' },
      { $set: { status: 'sent', 'timestamps.sent': response.at, providerMessageId, lastResponse: response }, $unset: { nextAttemptAt: '' } },
    );
  }

  async markRetrying(id: string, response: ProviderResponse, nextAttemptAt: Date): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id, status: 'sending' },
      { $set: { status: 'queued', 'timestamps.queued': response.at, lastResponse: response, nextAttemptAt } },
    );
  }

  async markFinal(id: string, status: 'failed' | 'dead_lettered', response: ProviderResponse, reason: string): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id, status: 'sending' },
      { $set: { status, [`timestamps.${status}`]: response.at, lastResponse: response, reason }, $unset: { nextAttemptAt: '' } },
    );
  }

  /** failed/dead_lettered → queued for a replay; returns the new replay number, or null when not replayable. */
  async markReplayed(id: string, now: Date): Promise<number | null> {
    const updated = await this.deliveries
      .findOneAndUpdate(
        { _id: id, status: { $in: ['failed', 'dead_lettered'] } },
        { $set: { status: 'queued', 'timestamps.queued': now }, $inc: { replays: 1 } },
        { returnDocument: 'after' },
      )
      .lean<DeliveryDocument>()
      .exec();
    return updated ? updated.replays : null;
  }

  /** A provider's delivery report: sent → delivered, or sent/delivered → bounced. */
  applyReport(channel: Channel, providerMessageId: string, status: 'delivered' | 'bounced', response: ProviderResponse): Promise<DeliveryDocument | null> {
    const from = status === 'delivered' ? ['sending', 'sent'] : ['sending', 'sent', 'delivered'];
    return this.deliveries
      .findOneAndUpdate(
        { providerMessageId, channel, status: { $in: from as DeliveryStatus[] } },
        { $set: { status, [`timestamps.${status}`]: response.at, lastResponse: response } },
        { returnDocument: 'after' },
      )
      .lean<DeliveryDocument>()
      .exec();
  }

  existsWithProviderId(channel: Channel, providerMessageId: string): Promise<boolean> {
    return this.deliveries.exists({ providerMessageId, channel }).then(Boolean);
  }

  async stats(since?: Date): Promise<ChannelStats[]> {
    const match = since ? [{ $match: { createdAt: { $gte: since } } }] : [];
    const rows = await this.deliveries.aggregate<{ _id: { channel: Channel; status: DeliveryStatus }; count: number }>([
      ...match,
      { $group: { _id: { channel: '$channel', status: '$status' }, count: { $sum: 1 } } },
    ]);
    const byChannel = new Map<Channel, ChannelStats>();
    for (const row of rows) {
      const entry = byChannel.get(row._id.channel) ?? { channel: row._id.channel, counts: {} };
      entry.counts[row._id.status] = row.count;
      byChannel.set(row._id.channel, entry);
    }
    return [...byChannel.values()];
  }
}
