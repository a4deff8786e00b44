import { Schema } from 'mongoose';

export const LOCK_MODEL = 'Lock';

/**
 * Short leases taken by inserting a document with the lock's name as `_id`. The unique `_id` is
 * the one write FerretDB (SQLite) makes atomic under concurrency — its conditional updates and
 * `$inc` are read-modify-write and lose races — and it is atomic on MongoDB too.
 */
export interface LockDocument {
  _id: string;
  token: string;
  expiresAt: Date;
}

export const LockSchema = new Schema<LockDocument>(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'locks', versionKey: false },
);
// Only looked up by _id. No TTL index (FerretDB has none): expired leases are taken over on contention.
