import { type CloudEvent, outboxOnUpdate } from '@dentalos/events';
import type { UpdateQuery } from 'mongoose';

/** Merges the outbox operators into an update so the state change and its events are one write. */
export function withOutbox<T>(update: UpdateQuery<T>, ...events: CloudEvent[]): UpdateQuery<T> {
  if (events.length === 0) return update;
  const outbox = outboxOnUpdate(...events);
  return { ...update, $push: { ...(update.$push ?? {}), ...outbox.$push }, $set: { ...(update.$set ?? {}), ...outbox.$set } } as UpdateQuery<T>;
}

/** Selects the outbox fields hidden by `select: false`, leaving a write's returned document unprojected. */
export const OUTBOX_FIELDS = '+outbox +outboxAt';
