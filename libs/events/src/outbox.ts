import type { CloudEvent } from './cloud-event.js';

/**
 * The embedded outbox: events live in the aggregate's own document, written by the same
 * single-document write as the state change, so a change and its events commit together.
 * `outboxAt` marks documents with unpublished events (a sparse index serves the relay's scan).
 */
export interface OutboxFields {
  outbox?: CloudEvent[];
  outboxAt?: Date;
}

/** Schema definition fragment for `new Schema({ ...fields, ...OUTBOX_SCHEMA_FIELDS })`. */
export const OUTBOX_SCHEMA_FIELDS = {
  outbox: { type: [Object], default: undefined, select: false },
  // Serves the relay's `{ outboxAt: { $exists: true } }` scan; sparse so settled documents cost nothing.
  outboxAt: { type: Date, index: { sparse: true }, select: false },
} as const;

/** Fields to include in an insert so the new document carries its events. */
export function outboxOnInsert(...events: CloudEvent[]): Required<OutboxFields> {
  return { outbox: events, outboxAt: new Date() };
}

/** Update operators to merge into an update so the change carries its events. */
export function outboxOnUpdate(...events: CloudEvent[]): { $push: { outbox: { $each: CloudEvent[] } }; $set: { outboxAt: Date } } {
  return { $push: { outbox: { $each: events } }, $set: { outboxAt: new Date() } };
}
