import { Schema } from 'mongoose';
import type { Channel, ChannelContents } from '../common/channels.js';

export const DELIVERY_MODEL = 'Delivery';

export const DELIVERY_STATUSES = ['pending', 'queued', 'sending', 'sent', 'delivered', 'bounced', 'failed', 'dead_lettered', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** Not settled yet: a worker may still send it. */
export const UNSETTLED_STATUSES: readonly DeliveryStatus[] = ['pending', 'queued', 'sending'];

export interface ProviderResponse {
  /** HTTP or SMTP status, when the provider answered. */
  status?: number;
  message: string;
  at: Date;
}

/**
 * One channel of one notification, in a document of its own: each channel's worker writes only
 * its own document, so concurrent channel updates can never overwrite each other (a whole-document
 * read-modify-write on a shared document would lose them on servers without per-field atomicity).
 * `_id` is `<notification id>:<channel>`, so creating it twice is a duplicate-key no-op.
 */
export interface DeliveryDocument {
  _id: string;
  notificationId: string;
  userId: string;
  channel: Channel;
  status: DeliveryStatus;
  /** Address: email, E.164 phone or push registration token. */
  to?: string;
  /** What to send; removed when a sensitive delivery settles (sent, failed, dead-lettered). */
  content?: ChannelContents[Channel];
  /** Its content carries a one-time secret (see NotificationDocument.sensitive): not replayable once settled. */
  sensitive?: boolean;
  attempts: number;
  /** When each status was entered (the latest time, for statuses entered again). */
  timestamps: Partial<Record<DeliveryStatus, Date>>;
  reason?: string;
  lastResponse?: ProviderResponse;
  providerMessageId?: string;
  nextAttemptAt?: Date;
  /** Held by the recipient's quiet hours until then (`reason: quiet_hours`); kept once sent, as history. */
  deferredUntil?: Date;
  /** Bumped by each replay so the replayed job gets an id of its own. */
  replays: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export const DeliverySchema = new Schema<DeliveryDocument>(
  {
    _id: String,
    notificationId: { type: String, required: true },
    userId: { type: String, required: true },
    channel: { type: String, required: true },
    status: { type: String, required: true },
    to: String,
    content: Object,
    sensitive: Boolean,
    attempts: { type: Number, default: 0 },
    timestamps: { type: Object, default: {} },
    reason: String,
    lastResponse: Object,
    providerMessageId: String,
    nextAttemptAt: Date,
    deferredUntil: Date,
    replays: { type: Number, default: 0 },
  },
  { collection: 'deliveries', timestamps: true, versionKey: false, minimize: false },
);

// Serves GET /notifications/{id} and the list of a user's notifications (their channels).
DeliverySchema.index({ notificationId: 1 });
// Serves provider webhooks, which name the provider's message id.
DeliverySchema.index({ providerMessageId: 1 }, { sparse: true });
// Serves the sweeper's look for deliveries stuck in queued/sending longer than a job can take
// (their job was lost with a killed process); re-enqueueing them is a no-op when the job exists.
DeliverySchema.index({ status: 1, updatedAt: 1 });
// Serves GET /notifications/stats ($group by channel and status after this match order).
DeliverySchema.index({ channel: 1, status: 1 });
