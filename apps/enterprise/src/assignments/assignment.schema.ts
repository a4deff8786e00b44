import { OUTBOX_SCHEMA_FIELDS, type OutboxFields } from '@dentalos/events';
import { Schema } from 'mongoose';
import type { DatePeriod } from './schedule/primary-periods.js';
import type { NotAvailable, WeeklySlot } from './schedule/schedule-overlap.js';

export const ASSIGNMENT_MODEL = 'Assignment';

export type AssignmentStatus = 'active' | 'ended';

export interface ExceptionPeriod extends NotAvailable {
  reason: string;
}

export interface AssignmentDocument extends OutboxFields {
  _id: string;
  orgId: string;
  clinicId: string;
  providerId: string;
  role: string;
  /** Effective period [from, to) in the clinic's local dates; to = null is open ended. */
  from: string;
  to: string | null;
  /** Copied from the clinic so the schedule means the same thing if the clinic moves zone later. */
  timeZone: string;
  slots: WeeklySlot[];
  exceptions: ExceptionPeriod[];
  /** Mirrored from the provider's schedule, which decides them: the dates this is the primary clinic. */
  primaryPeriods: DatePeriod[];
  /** Primary on its first day: what the `primary` list filter needs for assignments not started yet. */
  primaryOnStart: boolean;
  status: AssignmentStatus;
  endedAt?: Date;
  endedBy?: string;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const AssignmentSchema = new Schema<AssignmentDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    clinicId: { type: String, required: true },
    providerId: { type: String, required: true },
    role: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, default: null },
    timeZone: { type: String, required: true },
    slots: { type: [Object], default: [] },
    exceptions: { type: [Object], default: [] },
    primaryPeriods: { type: [Object], default: [] },
    primaryOnStart: { type: Boolean, default: false },
    status: { type: String, required: true },
    endedAt: { type: Date },
    endedBy: { type: String },
    version: { type: Number, default: 1 },
    createdBy: { type: String, required: true },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'assignments', versionKey: false, timestamps: true, minimize: false },
);

// Serves the assignment list of one organization sorted by start date, the default order.
AssignmentSchema.index({ orgId: 1, from: 1, _id: 1 });
// Serves the same list sorted by creation time.
AssignmentSchema.index({ orgId: 1, createdAt: 1, _id: 1 });
// Serves "this provider's assignments" (list filter, provider slot release).
AssignmentSchema.index({ orgId: 1, providerId: 1, status: 1 });
// Serves the per-clinic filter of the list.
AssignmentSchema.index({ orgId: 1, clinicId: 1, status: 1 });
