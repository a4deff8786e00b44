import { Schema } from 'mongoose';
import type { Channel, ChannelContents } from '../common/channels.js';

export const NOTIFICATION_MODEL = 'Notification';

export const DELIVERY_STATUSES = ['pending', 'queued', 'sending', 'sent', 'delivered', 'bounced', 'failed', 'dead_lettered', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Statuses after which the worker must never send again. */
export const SETTLED_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'bounced', 'failed', 'dead_lettered', 'skipped'];

export interface ProviderResponse {
  /** HTTP or SMTP status, when the provider answered. */
  status?: number;
  message: string;
  at: Date;
}

/** One channel of a notification. Kept in an object keyed by channel: updates address `channels.email.*` directly. */
export interface ChannelDelivery {
  status: DeliveryStatus;
  /** Address: email, E.164 phone or push registration token. */
  to?: string;
  attempts: number;
  /** When each status was entered (the latest time, for statuses entered again). */
  timestamps: Partial<Record<DeliveryStatus, Date>>;
  reason?: string;
  lastResponse?: ProviderResponse;
  providerMessageId?: string;
  nextAttemptAt?: Date;
  /** Bumped by each replay so the replayed job gets an id of its own. */
  replays?: number;
}

export interface NotificationDocument {
  _id: string;
  userId: string;
  templateKey: string;
  templateVersion: number;
  category: string;
  locale: string;
  /** Rendered at acceptance time: a later template change does not alter what was accepted. */
  content: ChannelContents;
  channels: Partial<Record<Channel, ChannelDelivery>>;
  /** Caller-scoped Idempotency-Key and the hash of the body it first came with. */
  idempotencyKey?: string;
  requestHash?: string;
  /** `<event id>:<template>:<recipient>` for notifications caused by an event. */
  dedupKey?: string;
  eventId?: string;
  /** Set while some channel still waits to be enqueued (a sweeper retries those). */
  pendingSince?: Date;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
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
    channels: { type: Object, required: true },
    idempotencyKey: String,
    requestHash: String,
    dedupKey: String,
    eventId: String,
    pendingSince: Date,
    createdBy: String,
  },
  { collection: 'notifications', timestamps: true, versionKey: false, minimize: false },
);

// Serves GET /notifications/mine (a user's notifications, newest first).
NotificationSchema.index({ userId: 1, createdAt: -1 });
// Serves the Idempotency-Key lookup; unique so two concurrent requests with one key create one notification.
NotificationSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
// Event de-duplication: one notification per (event id, template, recipient) — each channel lives inside
// it, so a redelivered event can never create a second send on any channel. Unique is the guarantee.
NotificationSchema.index({ dedupKey: 1 }, { unique: true, sparse: true });
// Serves the sweeper that enqueues channels whose enqueue failed (Redis away).
NotificationSchema.index({ pendingSince: 1 }, { sparse: true });
// Serve provider webhooks, which name the provider's message id.
NotificationSchema.index({ 'channels.email.providerMessageId': 1 }, { sparse: true });
NotificationSchema.index({ 'channels.sms.providerMessageId': 1 }, { sparse: true });
NotificationSchema.index({ 'channels.push.providerMessageId': 1 }, { sparse: true });
