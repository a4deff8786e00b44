import { type CloudEvent, outboxOnUpdate } from '@dentalos/events';
import type { UpdateQuery } from 'mongoose';

/** Folds events into an update, so the state change and its events are one document write. */
export function withOutbox<T>(update: UpdateQuery<T>, events: CloudEvent[]): UpdateQuery<T> {
  if (events.length === 0) return update;
  const outbox = outboxOnUpdate(...events);
  return { ...update, $set: { ...(update.$set ?? {}), ...outbox.$set }, $push: { ...(update.$push ?? {}), ...outbox.$push } } as UpdateQuery<T>;
}
