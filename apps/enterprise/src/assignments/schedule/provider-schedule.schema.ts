import { Schema } from 'mongoose';
import type { ScheduleEntry } from './schedule-overlap.js';

export const PROVIDER_SCHEDULE_MODEL = 'ProviderSchedule';

/**
 * One document per provider and organization holding every active assignment's schedule. All
 * overlap checks read it and every change writes it back only if `version` is still the one read
 * (compare-and-set under the schedule's lease), so two concurrent conflicting assignments cannot
 * both pass: the second write finds a newer version, re-reads and sees the first. This replaces
 * a multi-document transaction.
 */
export interface ProviderScheduleDocument {
  /** `<orgId>:<providerId>` */
  _id: string;
  orgId: string;
  providerId: string;
  entries: ScheduleEntry[];
  version: number;
}

export const ProviderScheduleSchema = new Schema<ProviderScheduleDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    providerId: { type: String, required: true },
    entries: { type: [Object], default: [] },
    version: { type: Number, default: 0 },
  },
  { collection: 'provider_schedules', versionKey: false, minimize: false },
);
// Only looked up by _id: no secondary index needed.
