import { Schema } from 'mongoose';
import type { AssignmentStatus, ExceptionPeriod } from '../assignment.schema.js';
import type { DatePeriod } from './primary-periods.js';
import type { ScheduleEntry } from './schedule-overlap.js';

export const PROVIDER_SCHEDULE_MODEL = 'ProviderSchedule';

/**
 * One assignment as its provider's schedule holds it: what the overlap and primary rules need,
 * plus what the assignment document mirrors from it (exception reasons, end) and the assignment's
 * `version` — every change of an assignment's schedule, primary periods or end is decided here
 * first and moves this version, so the document follows it (see AssignmentRepository.mirror).
 * An ended entry stays, with its period cut at the end date, as the record of what it held.
 */
export interface StoredEntry extends ScheduleEntry {
  exceptions: ExceptionPeriod[];
  status: AssignmentStatus;
  /** Dates on which this is the provider's primary clinic; see assignPrimaryPeriods. */
  primaryPeriods: DatePeriod[];
  /** Absent on entries written before entries carried versions. */
  version?: number;
}

/** An entry as entries written before status and primary periods were stored may hold it. */
export type StoredEntryInput = Omit<StoredEntry, 'status' | 'primaryPeriods'> & Partial<Pick<StoredEntry, 'status' | 'primaryPeriods'>> & { primary?: boolean };

/**
 * One document per provider and organization holding every assignment's schedule. All overlap
 * checks read it, and every change writes it back with one update conditional on `version` still
 * being the one read (atomic on one document), so two concurrent conflicting assignments cannot
 * both pass: the second write matches nothing, re-reads and sees the first. This replaces a
 * multi-document transaction.
 */
export interface ProviderScheduleDocument {
  /** `<orgId>:<providerId>` */
  _id: string;
  orgId: string;
  providerId: string;
  /** In creation order: the order decides who inherits primary dates (see assignPrimaryPeriods). */
  entries: StoredEntry[];
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
