import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Channel } from '../common/channels.js';
import { defined } from '../common/defined.js';
import { GroupCommit, insertEach } from '../common/group-commit.js';
import { DELIVERY_MODEL, type DeliveryDocument, type DeliveryStatus, type ProviderResponse, UNSETTLED_STATUSES } from './delivery.schema.js';

/** How a delivery settles: a sensitive one drops its content in the same write. */
export interface Settlement {
  discardContent?: boolean;
}

export interface ChannelStats {
  channel: Channel;
  counts: Partial<Record<DeliveryStatus, number>>;
}

const contentUnset = (settlement: Settlement): Record<string, ''> => (settlement.discardContent ? { content: '' } : {});

/**
 * Every write names the status it expects, so a late or repeated writer cannot move a delivery
 * backwards, and each is one single-document update (atomic on MongoDB and on our FerretDB build).
 */
@Injectable()
export class DeliveryRepository {
  /** Deliveries are written once, as built (complete), together with the other acceptances in flight. */
  private readonly inserts = new GroupCommit<DeliveryDocument>((deliveries) => {
    // Lean inserts set no timestamps of their own.
    const now = new Date();
    return insertEach(this.deliveries, deliveries.map((delivery) => defined({ ...delivery, createdAt: now, updatedAt: now })));
  });

  constructor(@InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>) {}

  /**
   * Creates the deliveries that do not exist yet (ids are deterministic; existing ones are left
   * alone). Returns false when some already existed, i.e. this is a repeat.
   */
  async insertMissing(deliveries: DeliveryDocument[]): Promise<boolean> {
    const written = await Promise.all(deliveries.map((delivery) => this.inserts.submit(delivery)));
    return written.every(Boolean);
  }

  /** One delivery with its address and content: what a worker needs to send it. */
  get(id: string): Promise<DeliveryDocument | null> {
    return this.deliveries.findById(id).lean<DeliveryDocument>().exec();
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
   * queued → sending, for a provider call that is taking a while (see DeliveryProcessor): a fast
   * send records `sending` together with its outcome instead, in one write.
   */
  async markSending(id: string, startedAt: Date): Promise<void> {
    await this.deliveries.updateOne({ _id: id, status: 'queued' }, { $set: { status: 'sending', 'timestamps.sending': startedAt } });
  }

  /**
   * Deliveries in queued/sending untouched since `before`, oldest first (their job was lost with a
   * killed process or Redis). A delivery held by quiet hours counts once it has been due that long.
   */
  stale(before: Date, limit: number): Promise<DeliveryDocument[]> {
    return this.deliveries
      .find(
        { status: { $in: ['queued', 'sending'] }, updatedAt: { $lte: before }, $or: [{ deferredUntil: null }, { deferredUntil: { $lte: before } }] },
        { content: 0 },
      )
      .sort({ updatedAt: 1 })
      .limit(limit)
      .lean<DeliveryDocument[]>()
      .exec();
  }

  /**
   * The outcome of one provider call, with the time it started (`sending`) and the attempt it
   * used, in a single write. Only an unsettled delivery takes it: the first outcome recorded wins.
   * A retry keeps the content; a settled sensitive delivery loses it in that same write.
   */
  async markSent(id: string, startedAt: Date, providerMessageId: string, response: ProviderResponse, settlement: Settlement = {}): Promise<void> {
    const set = { status: 'sent', 'timestamps.sent': response.at, providerMessageId, lastResponse: response };
    await this.recordAttempt(id, startedAt, set, { nextAttemptAt: '', reason: '', ...contentUnset(settlement) });
  }

  async markRetrying(id: string, startedAt: Date, response: ProviderResponse, nextAttemptAt: Date): Promise<void> {
    await this.recordAttempt(id, startedAt, { status: 'queued', 'timestamps.queued': response.at, lastResponse: response, nextAttemptAt });
  }

  async markFinal(id: string, startedAt: Date, status: 'failed' | 'dead_lettered', response: ProviderResponse, reason: string, settlement: Settlement = {}): Promise<void> {
    const set = { status, [`timestamps.${status}`]: response.at, lastResponse: response, reason };
    await this.recordAttempt(id, startedAt, set, { nextAttemptAt: '', ...contentUnset(settlement) });
  }

  private async recordAttempt(id: string, startedAt: Date, set: Record<string, unknown>, unset?: Record<string, ''>): Promise<void> {
    await this.deliveries.updateOne(
      { _id: id, status: { $in: UNSETTLED_STATUSES } },
      { $set: { ...set, 'timestamps.sending': startedAt }, ...(unset ? { $unset: unset } : {}), $inc: { attempts: 1 } },
    );
  }

  /**
   * failed/dead_lettered → queued for a replay; returns the new replay number, or null when not
   * replayable (no longer failed, or its content was discarded when it settled).
   */
  async markReplayed(id: string, now: Date): Promise<number | null> {
    const updated = await this.deliveries
      .findOneAndUpdate(
        { _id: id, status: { $in: ['failed', 'dead_lettered'] }, content: { $exists: true } },
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
