import type { AssignmentDto } from './dto/assignment.dto.js';
import type { AssignmentDocument } from './assignment.schema.js';
import { type DatePeriod, isPrimaryOn } from './schedule/primary-periods.js';
import type { EntryToPlace } from './schedule/schedule-book.service.js';
import type { StoredEntry } from './schedule/provider-schedule.schema.js';
import { todayUtc } from './schedule/zoned-time.js';

/** The date `primary` speaks of: today (UTC), or the first day of an assignment that starts later. */
function primaryReferenceDate(from: string): string {
  const today = todayUtc();
  return from > today ? from : today;
}

export function isPrimaryNow(assignment: { from: string; primaryPeriods: DatePeriod[] }): boolean {
  return isPrimaryOn(assignment.primaryPeriods, primaryReferenceDate(assignment.from));
}

/** The primary fields of an assignment document, as its schedule entry decides them. */
export function primaryStateOf(entry: StoredEntry): Pick<AssignmentDocument, 'primaryPeriods' | 'primaryOnStart'> {
  return {
    primaryPeriods: entry.primaryPeriods.map(({ from, to }) => ({ from, to })),
    primaryOnStart: isPrimaryOn(entry.primaryPeriods, entry.from),
  };
}

export function assignmentView(assignment: AssignmentDocument): AssignmentDto {
  return {
    id: assignment._id,
    organizationId: assignment.orgId,
    clinicId: assignment.clinicId,
    providerId: assignment.providerId,
    role: assignment.role,
    from: assignment.from,
    to: assignment.to ?? null,
    timeZone: assignment.timeZone,
    slots: assignment.slots,
    exceptions: assignment.exceptions.map((exception) => ({
      from: new Date(exception.from).toISOString(),
      to: new Date(exception.to).toISOString(),
      ...(exception.reason ? { reason: exception.reason } : {}),
    })),
    primary: isPrimaryNow(assignment),
    primaryPeriods: assignment.primaryPeriods.map(({ from, to }) => ({ from, to })),
    status: assignment.status,
    ...(assignment.endedAt ? { endedAt: new Date(assignment.endedAt).toISOString() } : {}),
    version: assignment.version,
    createdAt: new Date(assignment.createdAt).toISOString(),
  };
}

/** The schedule entry of an assignment (its version, status and primary dates are decided by the schedule). */
export function scheduleEntryOf(assignment: Omit<AssignmentDocument, 'createdAt' | 'updatedAt'>): EntryToPlace {
  return {
    assignmentId: assignment._id,
    clinicId: assignment.clinicId,
    timeZone: assignment.timeZone,
    from: assignment.from,
    to: assignment.to,
    slots: assignment.slots.map(({ day, start, end }) => ({ day, start, end })),
    exceptions: assignment.exceptions.map(({ from, to, reason }) => ({ from: new Date(from), to: new Date(to), reason })),
  };
}
