import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { QueryFilter, Model, UpdateQuery } from 'mongoose';
import { withOutbox } from '../common/with-outbox.js';
import { type AuditEntry, type Lockout, type PendingToken, USER_MODEL, type UserDocument, type UserStatus } from './user.schema.js';

export type NewUser = Pick<UserDocument, '_id' | 'email' | 'displayName' | 'locale' | 'timezone' | 'passwordHash' | 'roles' | 'verification'>;
export type ProfileChanges = Partial<Pick<UserDocument, 'displayName' | 'locale' | 'timezone'>>;
export type LoginCandidate = Pick<UserDocument, '_id' | 'email' | 'roles' | 'status' | 'passwordHash' | 'lockout' | 'locale' | 'version'>;

export interface UserPageQuery {
  limit: number;
  after?: { createdAt: Date; id: string };
  emailPrefix?: string;
  status?: UserStatus;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The only code that touches the users collection. Every change is one single-document write. */
@Injectable()
export class UserRepository {
  constructor(@InjectModel(USER_MODEL) private readonly users: Model<UserDocument>) {}

  /** Inserts the account with its `user.created` event; a taken email surfaces as E11000. */
  async create(user: NewUser, event: CloudEvent): Promise<void> {
    await this.users.create({ ...user, status: 'active', version: 0, audit: [], ...outboxOnInsert(event) });
  }

  findById(id: string): Promise<UserDocument | null> {
    return this.users.findById(id).lean<UserDocument>().exec();
  }

  findForLogin(email: string): Promise<LoginCandidate | null> {
    return this.users.findOne({ email }).select('+passwordHash').lean<LoginCandidate>().exec();
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users.findOne({ email }).lean<UserDocument>().exec();
  }

  findIdByVerificationToken(tokenHash: string, now: Date): Promise<Pick<UserDocument, '_id' | 'email'> | null> {
    return this.users
      .findOne({ 'verification.tokenHash': tokenHash, 'verification.expiresAt': { $gt: now }, status: 'active' })
      .select('_id email')
      .lean<Pick<UserDocument, '_id' | 'email'>>()
      .exec();
  }

  findByResetToken(tokenHash: string, now: Date): Promise<UserDocument | null> {
    return this.users
      .findOne({ 'passwordReset.tokenHash': tokenHash, 'passwordReset.expiresAt': { $gt: now }, status: 'active' })
      .lean<UserDocument>()
      .exec();
  }

  /** Single use: the filter still names the token, so only one caller can consume it. */
  async markVerified(id: string, tokenHash: string, now: Date, event: CloudEvent): Promise<boolean> {
    return this.change({ _id: id, 'verification.tokenHash': tokenHash }, { $set: { emailVerifiedAt: now }, $unset: { verification: '' } }, [event]);
  }

  /** Replacing the pending reset voids any older link at once. */
  async startPasswordReset(id: string, reset: PendingToken, event: CloudEvent): Promise<boolean> {
    return this.change({ _id: id, status: 'active' }, { $set: { passwordReset: reset } }, [event]);
  }

  /** Consumes the reset token, sets the new hash and clears any lockout in one write. */
  async completePasswordReset(id: string, tokenHash: string, passwordHash: string, now: Date, audit: AuditEntry, event: CloudEvent): Promise<boolean> {
    return this.change(
      { _id: id, 'passwordReset.tokenHash': tokenHash, status: 'active' },
      { $set: { passwordHash, passwordChangedAt: now, lockout: { failures: 0, lockCount: 0 } }, $unset: { passwordReset: '' }, $push: { audit } },
      [event],
    );
  }

  /** Optimistic: fails (false) when another login changed the account since it was read. */
  async saveLockout(id: string, version: number, lockout: Lockout, audit?: AuditEntry): Promise<boolean> {
    const update: UpdateQuery<UserDocument> = { $set: { lockout } };
    if (audit) update.$push = { audit };
    return this.change({ _id: id, version }, update);
  }

  async recordLogin(id: string, now: Date, newPasswordHash?: string): Promise<void> {
    const $set: Record<string, unknown> = { lastLoginAt: now, lockout: { failures: 0, lockCount: 0 } };
    if (newPasswordHash) $set.passwordHash = newPasswordHash;
    await this.change({ _id: id }, { $set });
  }

  async unlock(id: string, audit: AuditEntry): Promise<boolean> {
    return this.change({ _id: id, status: { $ne: 'deleted' } }, { $set: { lockout: { failures: 0, lockCount: 0 } }, $push: { audit } });
  }

  /** Update then read: findAndModify with the schema's hidden fields is beyond FerretDB. */
  async updateProfile(id: string, changes: ProfileChanges): Promise<UserDocument | null> {
    if (!(await this.change({ _id: id, status: 'active' }, { $set: changes }))) return null;
    return this.findById(id);
  }

  async setStatus(id: string, from: UserStatus, to: UserStatus, audit: AuditEntry): Promise<boolean> {
    return this.change({ _id: id, status: from }, { $set: { status: to }, $push: { audit } });
  }

  /** Deletion keeps a tombstone (id, status, outbox) so `user.deleted` still leaves via the outbox. */
  async erase(id: string, now: Date, event: CloudEvent): Promise<boolean> {
    const personal = { email: '', displayName: '', passwordHash: '', verification: '', passwordReset: '', lockout: '', lastLoginAt: '', audit: '' };
    return this.change({ _id: id, status: { $ne: 'deleted' } }, { $set: { status: 'deleted', deletedAt: now, roles: [] }, $unset: personal }, [event]);
  }

  async page(query: UserPageQuery): Promise<UserDocument[]> {
    const filter: QueryFilter<UserDocument> = { status: query.status ?? { $ne: 'deleted' } };
    if (query.emailPrefix) filter.email = { $regex: `^${escapeRegex(query.emailPrefix)}` };
    if (query.after) {
      const { createdAt, id } = query.after;
      filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
    }
    return this.users.find(filter).sort({ createdAt: -1, _id: -1 }).limit(query.limit).lean<UserDocument[]>().exec();
  }

  private async change(filter: QueryFilter<UserDocument>, update: UpdateQuery<UserDocument>, events: CloudEvent[] = []): Promise<boolean> {
    const result = await this.users.updateOne(filter, { ...withOutbox(update, events), $inc: { version: 1 } }).exec();
    return result.matchedCount === 1;
  }
}
