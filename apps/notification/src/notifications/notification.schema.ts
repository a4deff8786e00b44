import { Schema } from 'mongoose';
import type { Channel, ChannelContents } from '../common/channels.js';

export const NOTIFICATION_MODEL = 'Notification';

/** What acceptance decided for a channel; the delivery document starts from it. */
export interface ChannelPlan {
  status: 'queued' | 'skipped';
  to?: string;
  reason?: string;
}

/**
 * The accepted request, written once and never updated except for `pendingSince`. Its channels'
 * progress lives in `deliveries`; the plan here lets a retry (redelivered event, sweeper) recreate
 * any delivery document a crash left unwritten.
 */
export interface NotificationDocument {
  _id: string;
  userId: string;
  templateKey: string;
  templateVersion: number;
  category: string;
  locale: string;
  /** Rendered at acceptance time: a later template change does not alter what was accepted. */
  content: ChannelContents;
  plan: Partial<Record<Channel, ChannelPlan>>;
  /** Caller-scoped Idempotency-Key and the hash of the body it first came with. */
  idempotencyKey?: string;
  requestHash?: string;
  /** `<event id>:<template>:<recipient>` for notifications caused by an event. */
  dedupKey?: string;
  eventId?: string;
  /** Set until the delivery documents and jobs exist; the sweeper finishes what a failure left. */
  pendingSince?: Date;
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
    content: { type: Object, required: true },
    plan: { type: Object, required: true },
    idempotencyKey: String,
    requestHash: String,
    dedupKey: String,
    eventId: String,
    pendingSince: Date,
    createdBy: String,
  },
  { collection: 'notifications', timestamps: true, versionKey: false, minimize: false },
);

// Serves GET /notifications (a user's notifications, newest first).
NotificationSchema.index({ userId: 1, createdAt: -1 });
// Serves the Idempotency-Key lookup; unique so two concurrent requests with one key create one notification.
NotificationSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
// Event de-duplication: one notification per (event id, template, recipient), and one delivery per
// channel of it (`<id>:<channel>`), so a redelivered event can never send twice on any channel.
NotificationSchema.index({ dedupKey: 1 }, { unique: true, sparse: true });
// Serves the sweeper that finishes notifications whose deliveries were not all created or enqueued.
NotificationSchema.index({ pendingSince: 1 }, { sparse: true });
