import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { CloudEvent } from '@dentalos/events';
import type { QueryFilter, Model } from 'mongoose';
import { withOutbox } from '../common/with-outbox.js';
import { SESSION_MODEL, type SessionDocument } from './session.schema.js';

export type NewSession = Pick<SessionDocument, '_id' | 'userId' | 'userEpoch' | 'userAgent' | 'ip' | 'refreshHash' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>;
export type RefreshState = Pick<SessionDocument, '_id' | 'userId' | 'userEpoch' | 'refreshHash' | 'usedRefreshHashes' | 'revokedAt' | 'expiresAt' | 'version'>;
export type SessionView = Pick<SessionDocument, '_id' | 'userId' | 'userEpoch' | 'userAgent' | 'ip' | 'createdAt' | 'lastSeenAt' | 'expiresAt' | 'revokedAt'>;

export interface Rotation {
  fromHash: string;
  toHash: string;
  usedRefreshHashes: string[];
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The only code that touches the sessions collection. */
@Injectable()
export class SessionRepository {
  constructor(@InjectModel(SESSION_MODEL) private readonly sessions: Model<SessionDocument>) {}

  async create(session: NewSession): Promise<void> {
    await this.sessions.create({ ...session, usedRefreshHashes: [], version: 0 });
  }

  findView(id: string): Promise<SessionView | null> {
    return this.sessions.findById(id).select('userId userEpoch userAgent ip createdAt lastSeenAt expiresAt revokedAt').lean<SessionView>().exec();
  }

  findRefreshState(id: string): Promise<RefreshState | null> {
    return this.sessions.findById(id).select('+refreshHash +usedRefreshHashes userId userEpoch revokedAt expiresAt version').lean<RefreshState>().exec();
  }

  /**
   * Compare-and-swap on (version, current hash): of two requests presenting the same token only
   * one rotates; the other then finds its token among the used ones, which is reuse.
   */
  async rotate(id: string, version: number, rotation: Rotation): Promise<boolean> {
    const result = await this.sessions
      .updateOne(
        { _id: id, version, refreshHash: rotation.fromHash, revokedAt: { $exists: false } },
        {
          $set: { refreshHash: rotation.toHash, usedRefreshHashes: rotation.usedRefreshHashes, lastSeenAt: rotation.lastSeenAt, expiresAt: rotation.expiresAt },
          $inc: { version: 1 },
        },
      )
      .exec();
    return result.matchedCount === 1;
  }

  /** Revokes one session (optionally only if it belongs to `userId`); events ride along. */
  async revoke(id: string, reason: string, now: Date, userId?: string, events: CloudEvent[] = []): Promise<boolean> {
    const filter: QueryFilter<SessionDocument> = { _id: id, revokedAt: { $exists: false } };
    if (userId) filter.userId = userId;
    const update = withOutbox<SessionDocument>({ $set: { revokedAt: now, revokedReason: reason }, $inc: { version: 1 } }, events);
    const result = await this.sessions.updateOne(filter, update).exec();
    return result.matchedCount === 1;
  }

  async revokeAllOf(userId: string, reason: string, now: Date, exceptId?: string): Promise<number> {
    const filter: QueryFilter<SessionDocument> = { userId, revokedAt: { $exists: false } };
    if (exceptId) filter._id = { $ne: exceptId };
    const result = await this.sessions.updateMany(filter, { $set: { revokedAt: now, revokedReason: reason }, $inc: { version: 1 } }).exec();
    return result.modifiedCount;
  }

  /** Account deletion: device details are personal data too. */
  async eraseDeviceDetailsOf(userId: string): Promise<void> {
    await this.sessions.updateMany({ userId }, { $unset: { userAgent: '', ip: '' } }).exec();
  }

  listActive(userId: string, now: Date): Promise<SessionView[]> {
    return this.sessions
      .find({ userId, revokedAt: { $exists: false }, expiresAt: { $gt: now } })
      .select('userId userAgent ip createdAt lastSeenAt expiresAt')
      .sort({ createdAt: -1 })
      .lean<SessionView[]>()
      .exec();
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.sessions.updateOne({ _id: id }, { $set: { lastSeenAt: now } }).exec();
  }
}
