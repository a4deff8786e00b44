import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { QueryFilter, Model, Schema, UpdateQuery } from 'mongoose';
import { withOutbox } from '../common/with-outbox.js';
import { type AuditEntry, type Lockout, type PendingToken, USER_MODEL, type UserDocument, type UserStatus } from './user.schema.js';

export type NewUser = Pick<UserDocument, '_id' | 'email' | 'displayName' | 'locale' | 'timezone' | 'passwordHash' | 'roles' | 'verification'>;
export type ProfileChanges = Partial<Pick<UserDocument, 'displayName' | 'locale' | 'timezone'>>;
export type LoginCandidate = Pick<UserDocument, '_id' | 'email' | 'roles' | 'status' | 'passwordHash' | 'lockout' | 'locale' | 'sessionEpoch'>;
export type SessionStanding = Pick<UserDocument, '_id' | 'status' | 'sessionEpoch'>;

/** Failed logins count in a fixed window opened by the first of them. */
export interface FailureWindow {
  now: Date;
  /** A window is still open when it started after this instant. */
  openedAfter: Date;
}

export interface Lock {
  /** The window whose failures caused the lock; once a login or a newer window replaced it, nothing locks. */
  windowStartedAt: Date;
  lockedUntil: Date;
  /** Moves the window's start so it closes when the lock ends: failures racing the lock count in it and end with it. */
  windowRestartedAt: Date;
  audit: AuditEntry;
}

export interface UserPageQuery {
  limit: number;
  after?: { createdAt: Date; id: string };
  emailPrefix?: string;
  status?: UserStatus;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Part of every write that must end the account's sessions: sessions opened under an older epoch are refused. */
const SESSION_ENDING = { $inc: { sessionEpoch: 1 } } as const;

/** Naming every hidden field with `+` leaves no projection at all, which FerretDB's findAndModify cannot take. */
function everyField(schema: Schema): string {
  return Object.entries(schema.paths)
    .filter(([, path]) => (path.options as { select?: boolean }).select === false)
    .map(([name]) => `+${name}`)
    .join(' ');
}

/** The only code that touches the users collection. Every change is one single-document write. */
@Injectable()
export class UserRepository {
  private readonly everyField: string;

  constructor(@InjectModel(USER_MODEL) private readonly users: Model<UserDocument>) {
    this.everyField = everyField(users.schema);
  }

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

  findSessionStanding(id: string): Promise<SessionStanding | null> {
    return this.users.findById(id).select('status sessionEpoch').lean<SessionStanding>().exec();
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

  /** Consumes the reset token, sets the new hash, clears any lockout and ends every session in one write. */
  async completePasswordReset(id: string, tokenHash: string, passwordHash: string, now: Date, audit: AuditEntry, event: CloudEvent): Promise<boolean> {
    return this.change(
      { _id: id, 'passwordReset.tokenHash': tokenHash, status: 'active' },
      { $set: { passwordHash, passwordChangedAt: now, lockout: { failures: 0, lockCount: 0 } }, $unset: { passwordReset: '' }, $push: { audit }, ...SESSION_ENDING },
      [event],
    );
  }

  /**
   * Counts one failed login atomically and returns the lockout as it stands after it: adds one to
   * the open window, or opens a new window at one. Null when the account is gone.
   */
  async countFailedLogin(id: string, window: FailureWindow): Promise<Lockout | null> {
    // The window can close between the two writes; one more round then finds it closed.
    for (let round = 0; round < 2; round++) {
      const counted = (await this.addToOpenWindow(id, window)) ?? (await this.openWindow(id, window));
      if (counted) return counted.lockout ?? null;
    }
    return null;
  }

  /** Only the failure that reached the threshold calls this, so one window locks at most once. */
  async lock(id: string, lock: Lock): Promise<boolean> {
    return this.change(
      { _id: id, 'lockout.windowStartedAt': lock.windowStartedAt },
      { $set: { 'lockout.lockedUntil': lock.lockedUntil, 'lockout.windowStartedAt': lock.windowRestartedAt }, $inc: { 'lockout.lockCount': 1 }, $push: { audit: lock.audit } },
    );
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

  /** Leaving `active` ends every session in the same write. */
  async setStatus(id: string, from: UserStatus, to: UserStatus, audit: AuditEntry): Promise<boolean> {
    const endsSessions = to !== 'active' ? SESSION_ENDING : {};
    return this.change({ _id: id, status: from }, { $set: { status: to }, $push: { audit }, ...endsSessions });
  }

  /** Deletion keeps a tombstone (id, status, outbox) so `user.deleted` still leaves via the outbox. */
  async erase(id: string, now: Date, event: CloudEvent): Promise<boolean> {
    const personal = { email: '', displayName: '', passwordHash: '', verification: '', passwordReset: '', lockout: '', lastLoginAt: '', audit: '' };
    return this.change({ _id: id, status: { $ne: 'deleted' } }, { $set: { status: 'deleted', deletedAt: now, roles: [] }, $unset: personal, ...SESSION_ENDING }, [event]);
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

  private addToOpenWindow(id: string, window: FailureWindow): Promise<Pick<UserDocument, 'lockout'> | null> {
    return this.users
      .findOneAndUpdate({ _id: id, 'lockout.windowStartedAt': { $gt: window.openedAfter } }, { $inc: { 'lockout.failures': 1, version: 1 } }, { returnDocument: 'after' })
      .select(this.everyField)
      .lean<Pick<UserDocument, 'lockout'>>()
      .exec();
  }

  /** The filter admits only a closed (or no) window, so of concurrent first failures one opens it. */
  private openWindow(id: string, window: FailureWindow): Promise<Pick<UserDocument, 'lockout'> | null> {
    return this.users
      .findOneAndUpdate(
        { _id: id, $or: [{ 'lockout.windowStartedAt': { $exists: false } }, { 'lockout.windowStartedAt': { $lte: window.openedAfter } }] },
        { $set: { 'lockout.failures': 1, 'lockout.windowStartedAt': window.now }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      )
      .select(this.everyField)
      .lean<Pick<UserDocument, 'lockout'>>()
      .exec();
  }

  private async change(filter: QueryFilter<UserDocument>, update: UpdateQuery<UserDocument>, events: CloudEvent[] = []): Promise<boolean> {
    const result = await this.users.updateOne(filter, { ...withOutbox(update, events), $inc: { ...update.$inc, version: 1 } }).exec();
    return result.matchedCount === 1;
  }
}
