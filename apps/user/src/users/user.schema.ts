import { type OutboxFields, OUTBOX_SCHEMA_FIELDS } from '@dentalos/events';
import { Schema } from 'mongoose';

export const USER_MODEL = 'User';

export const USER_STATUSES = ['active', 'deactivated', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A hash of a link token and when it stops working. */
export interface PendingToken {
  tokenHash: string;
  expiresAt: Date;
}

export interface Lockout {
  /** Failed logins in the current window. */
  failures: number;
  windowStartedAt?: Date;
  lockedUntil?: Date;
  /** Locks since the last successful login: each one doubles the next lock. Absent until the first. */
  lockCount?: number;
}

export interface AuditEntry {
  at: Date;
  action: string;
  actorId?: string;
  detail?: string;
}

export interface UserDocument extends OutboxFields {
  _id: string;
  email?: string;
  displayName?: string;
  locale: string;
  timezone: string;
  passwordHash?: string;
  roles: string[];
  status: UserStatus;
  emailVerifiedAt?: Date;
  verification?: PendingToken;
  passwordReset?: PendingToken;
  lockout?: Lockout;
  audit: AuditEntry[];
  lastLoginAt?: Date;
  passwordChangedAt?: Date;
  deletedAt?: Date;
  /**
   * Raised in the same write as every change that must end the account's sessions (password
   * change, deactivation, deletion). A session is valid only under the epoch it was opened in, so
   * those sessions stop even if marking them revoked fails afterwards. Absent on older documents: 0.
   */
  sessionEpoch?: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const pendingToken = { tokenHash: String, expiresAt: Date };

/** Whether a session opened under `sessionEpoch` may still be used for this account. */
export function acceptsSessionsOf(user: Pick<UserDocument, 'status' | 'sessionEpoch'> | null, sessionEpoch: number): boolean {
  return user?.status === 'active' && (user.sessionEpoch ?? 0) === sessionEpoch;
}

export const UserSchema = new Schema<UserDocument>(
  {
    _id: { type: String },
    email: { type: String },
    displayName: String,
    locale: { type: String, default: 'en' },
    timezone: { type: String, default: 'UTC' },
    passwordHash: { type: String, select: false },
    roles: { type: [String], default: [] },
    status: { type: String, enum: USER_STATUSES, default: 'active' },
    emailVerifiedAt: Date,
    verification: { type: pendingToken, default: undefined, select: false },
    passwordReset: { type: pendingToken, default: undefined, select: false },
    lockout: { type: { failures: Number, windowStartedAt: Date, lockedUntil: Date, lockCount: Number }, default: undefined },
    audit: { type: [{ _id: false, at: Date, action: String, actorId: String, detail: String }], default: [] },
    lastLoginAt: Date,
    passwordChangedAt: Date,
    deletedAt: Date,
    sessionEpoch: { type: Number, default: 0 },
    version: { type: Number, default: 0 },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'users', timestamps: true, versionKey: false },
);

// Login and registration look accounts up by normalized email; unique so two concurrent
// registrations cannot both win. Sparse because deleted accounts drop their email.
UserSchema.index({ email: 1 }, { unique: true, sparse: true });
// POST /auth/verify-email finds the account by the hash of the link token.
UserSchema.index({ 'verification.tokenHash': 1 }, { sparse: true });
// POST /auth/password-reset/confirm finds the account by the hash of the reset token.
UserSchema.index({ 'passwordReset.tokenHash': 1 }, { sparse: true });
// GET /users (admin): newest first with a (createdAt, _id) cursor, stable under inserts.
UserSchema.index({ createdAt: -1, _id: -1 });
