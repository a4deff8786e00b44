import { Schema } from 'mongoose';

export const PENDING_DISPATCH_MODEL = 'PendingDispatch';

/**
 * "This notification may not have all its deliveries and jobs yet": written before the
 * notification, deleted once its deliveries exist and are enqueued. A crash or an outage in
 * between leaves the marker for the sweeper. The collection only ever holds acceptances in
 * flight, so finishing one is an insert and a delete on a tiny collection instead of an update of
 * the (large) notifications collection, and the sweeper reads a handful of markers instead of
 * every notification.
 */
export interface PendingDispatchDocument {
  /** The notification id. */
  _id: string;
  at: Date;
}

// No secondary index: the sweeper reads the whole (tiny) collection.
export const PendingDispatchSchema = new Schema<PendingDispatchDocument>(
  { _id: String, at: { type: Date, required: true } },
  { collection: 'pending_dispatches', versionKey: false },
);
