import { Schema } from 'mongoose';
import type { Channel, ChannelContents } from '../common/channels.js';

export const NOTIFICATION_MODEL = 'Notification';

/** What acceptance decided for a channel; the delivery document starts from it. */
export interface ChannelPlan {
  status: 'queued' | 'skipped';
  to?: string;
  /** Why it is skipped (`opted_out`, `no_address`) or deferred (`quiet_hours`). */
  reason?: string;
  /** Queued but held until then: the end of the recipient's quiet hours. */
  deferredUntil?: Date;
}

/**
 * The accepted request, written once and never updated — except that a sensitive one loses its
 * content once its deliveries hold it. Its channels' progress lives in `deliveries`; the plan here
 * lets a retry (redelivered event, sweeper) recreate any delivery document a crash left unwritten
 * (`pending_dispatches` marks the notifications that may need it).
 */
export interface NotificationDocument {
  _id: string;
  userId: string;
  templateKey: string;
  templateVersion: number;
  category: string;
  locale: string;
  /**
   * Rendered at acceptance time: a later template change does not alter what was accepted.
   * Absent on a sensitive notification once its deliveries are written.
   */
  content?: ChannelContents;
  /**
   * The content carries a one-time secret (a password-reset or email-verification link): it is
   * kept only until each delivery settles, so the database never keeps a usable token.
   */
  sensitive?: boolean;
  plan: Partial<Record<Channel, ChannelPlan>>;
  /** Caller-scoped Idempotency-Key and the hash of the body it first came with. */
  idempotencyKey?: string;
  requestHash?: string;
  /** `<event id>:<template>:<recipient>` for notifications caused by an event. */
  dedupKey?: string;
  eventId?: string;
  createdBy?: string;
  createdAt: Date;
  updatedAt?: Date;
}

export const NotificationSchema = new Schema<NotificationDocument>(
  {
    _id: String,
    userId: { type: String, required: true },
    templateKey: { type: String, required: true },
    templateVersion: Number,
    category: String,
    locale: String,
    content: Object,
    sensitive: Boolean,
    plan: { type: Object, required: true },
    idempotencyKey: String,
    requestHash: String,
    dedupKey: String,
    eventId: String,
    createdBy: String,
  },
  { collection: 'notifications', timestamps: true, versionKey: false, minimize: false },
);

// Serves GET /notifications (a user's notifications, newest first).
NotificationSchema.index({ userId: 1, createdAt: -1 });
// No index on idempotencyKey or dedupKey: `_id` is derived from them (derivedId), so the
// Idempotency-Key lookup and the event de-duplication (one notification per event, template and
// recipient; one delivery per channel of it, `<id>:<channel>`) are `_id` reads and `_id`
// uniqueness — two concurrent first requests with one key create one notification.
