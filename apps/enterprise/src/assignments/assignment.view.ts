import type { AssignmentDto } from './dto/assignment.dto.js';
import type { AssignmentDocument } from './assignment.schema.js';
import type { StoredEntry } from './schedule/provider-schedule.schema.js';

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
    primary: assignment.primary,
    status: assignment.status,
    ...(assignment.endedAt ? { endedAt: new Date(assignment.endedAt).toISOString() } : {}),
    version: assignment.version,
    createdAt: new Date(assignment.createdAt).toISOString(),
  };
}

/** The schedule entry of an assignment (its version is set by the schedule when it is placed). */
export function scheduleEntryOf(assignment: Omit<AssignmentDocument, 'createdAt' | 'updatedAt'>): Omit<StoredEntry, 'version'> {
  return {
    assignmentId: assignment._id,
    clinicId: assignment.clinicId,
    timeZone: assignment.timeZone,
    from: assignment.from,
    to: assignment.to,
    slots: assignment.slots.map(({ day, start, end }) => ({ day, start, end })),
    exceptions: assignment.exceptions.map(({ from, to, reason }) => ({ from: new Date(from), to: new Date(to), reason })),
    primary: assignment.primary,
  };
}
