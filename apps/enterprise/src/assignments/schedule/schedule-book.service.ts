import { Injectable } from '@nestjs/common';
import { EnterpriseEnv } from '../../config/enterprise.env.js';
import { AssignmentConflictError, ScheduleBusyError } from '../assignments.errors.js';
import { ProviderScheduleRepository } from './provider-schedule.repository.js';
import { findConflict, type ScheduleEntry } from './schedule-overlap.js';
import { dayNumber } from './zoned-time.js';

const MAX_ATTEMPTS = 25;

export interface Placement {
  primary: boolean;
  /** Assignments that were primary on overlapping dates and no longer are. */
  demoted: string[];
}

function periodsOverlap(a: ScheduleEntry, b: ScheduleEntry): boolean {
  const end = (entry: ScheduleEntry) => (entry.to === null ? Number.POSITIVE_INFINITY : dayNumber(entry.to));
  return dayNumber(a.from) < end(b) && dayNumber(b.from) < end(a);
}

/**
 * Changes a provider's schedule document with compare-and-set on its version: read, decide
 * (overlap, primary), write if nobody wrote in between, else start over with fresh data.
 */
@Injectable()
export class ScheduleBook {
  constructor(
    private readonly schedules: ProviderScheduleRepository,
    private readonly env: EnterpriseEnv,
  ) {}

  /**
   * Adds an entry, or replaces the entry with the same assignment id. Refuses any overlap. The
   * result is primary when asked, when it already was, or when no other assignment is primary on
   * its dates — so a provider always has exactly one primary clinic wherever they work.
   */
  async place(orgId: string, providerId: string, entry: ScheduleEntry, makePrimary: boolean): Promise<Placement> {
    return this.mutate(orgId, providerId, (entries) => {
      const previous = entries.find((other) => other.assignmentId === entry.assignmentId);
      const others = entries.filter((other) => other.assignmentId !== entry.assignmentId);
      const conflict = findConflict(entry, others, this.env.SCHEDULE_HORIZON_DAYS);
      if (conflict) throw new AssignmentConflictError(conflict);
      const overlapping = others.filter((other) => periodsOverlap(other, entry));
      const primary = makePrimary || previous?.primary === true || !overlapping.some((other) => other.primary);
      const demoted = primary ? overlapping.filter((other) => other.primary).map((other) => other.assignmentId) : [];
      const next = others.map((other) => (demoted.includes(other.assignmentId) ? { ...other, primary: false } : other));
      return { entries: [...next, { ...entry, primary }], result: { primary, demoted } };
    });
  }

  /** Shortens an entry to end at `endDate` (exclusive); an empty period leaves the schedule. */
  async end(orgId: string, providerId: string, assignmentId: string, endDate: string): Promise<void> {
    await this.mutate(orgId, providerId, (entries) => ({
      entries: entries
        .map((entry) => (entry.assignmentId === assignmentId ? { ...entry, to: endDate, primary: false } : entry))
        .filter((entry) => entry.to === null || entry.to > entry.from),
      result: undefined,
    }));
  }

  /** Compensation when the assignment document could not be written. */
  async remove(orgId: string, providerId: string, assignmentId: string): Promise<void> {
    await this.mutate(orgId, providerId, (entries) => ({ entries: entries.filter((entry) => entry.assignmentId !== assignmentId), result: undefined }));
  }

  private async mutate<T>(orgId: string, providerId: string, change: (entries: ScheduleEntry[]) => { entries: ScheduleEntry[]; result: T }): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const schedule = await this.schedules.read(orgId, providerId);
      const { entries, result } = change(schedule.entries);
      if (await this.schedules.writeIfVersion(schedule, entries)) return result;
    }
    throw new ScheduleBusyError();
  }
}
