import { Schema } from 'mongoose';
import type { CloudEvent } from '@dentalos/events';
import type { Channel } from '../common/channels.js';

export const DEAD_LETTER_MODEL = 'DeadLetter';

export type DeadLetterKind = 'delivery' | 'event';
export type DeadLetterState = 'open' | 'replayed';

/**
 * Every failure kept replayable: a channel delivery that failed permanently or ran out of
 * attempts, or an event no handler could process. Ids are deterministic (`delivery:<id>:<channel>`,
 * `event:<event id>`), so recording the same failure twice updates one entry.
 */
export interface DeadLetterDocument {
  _id: string;
  kind: DeadLetterKind;
  state: DeadLetterState;
  reason: string;
  error: string;
  notificationId?: string;
  channel?: Channel;
  attempts?: number;
  stream?: string;
  entryId?: string;
  eventType?: string;
  /** The event as received; link tokens in it are sealed, never plain. */
  event?: CloudEvent;
  replays: number;
  replayedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const DeadLetterSchema = new Schema<DeadLetterDocument>(
  {
    _id: String,
    kind: { type: String, required: true },
    state: { type: String, required: true },
    reason: String,
    error: String,
    notificationId: String,
    channel: String,
    attempts: Number,
    stream: String,
    entryId: String,
    eventType: String,
    event: Object,
    replays: { type: Number, default: 0 },
    replayedAt: Date,
  },
  { collection: 'dead_letters', timestamps: true, versionKey: false },
);

// Serves GET /notifications/dead-letters (open ones, newest first), "replay all" and the
// notification_dead_letters gauge (count of open entries).
DeadLetterSchema.index({ state: 1, createdAt: -1 });
