import { type OutboxFields, OUTBOX_SCHEMA_FIELDS } from '@dentalos/events';
import { Schema } from 'mongoose';

export const SESSION_MODEL = 'Session';

/**
 * A device session is also the refresh-token family: every rotation stays inside it, so reuse
 * detection revokes exactly the family and the session together.
 */
export interface SessionDocument extends OutboxFields {
  _id: string;
  userId: string;
  userAgent?: string;
  ip?: string;
  /** Hash of the one refresh token that may be used next. */
  refreshHash?: string;
  /** Hashes of rotated-out tokens (most recent last): presenting one of them is reuse. */
  usedRefreshHashes: string[];
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: string;
  /** The account's `sessionEpoch` when the session was opened; absent on older documents: 0. */
  userEpoch?: number;
  version: number;
}

export const SessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String },
    userId: { type: String, required: true },
    userAgent: String,
    ip: String,
    refreshHash: { type: String, select: false },
    usedRefreshHashes: { type: [String], default: [], select: false },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: Date,
    revokedReason: String,
    userEpoch: { type: Number, default: 0 },
    version: { type: Number, default: 0 },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'sessions', versionKey: false },
);

// GET /users/me/sessions lists a user's sessions newest first; revoke-all and account
// deactivation/deletion select the same { userId } range.
SessionSchema.index({ userId: 1, createdAt: -1 });
