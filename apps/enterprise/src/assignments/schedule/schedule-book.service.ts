import { Injectable } from '@nestjs/common';
import { EnterpriseEnv } from '../../config/enterprise.env.js';
import { AssignmentConflictError, ScheduleBusyError } from '../assignments.errors.js';
import { ProviderScheduleRepository } from './provider-schedule.repository.js';
import type { StoredEntry } from './provider-schedule.schema.js';
import { findConflict, type ScheduleEntry } from './schedule-overlap.js';
import { dayNumber } from './zoned-time.js';

const MAX_ATTEMPTS = 25;

export interface Placement {
  primary: boolean;
  /** Entries this change wrote, the placed one first, then those it demoted: what the assignment documents must mirror. */
  changed: StoredEntry[];
}

/** What a change makes of the entries; null leaves the schedule as it is. */
type Change<T> = (entries: StoredEntry[]) => { entries: StoredEntry[]; result: T } | null;

function periodsOverlap(a: ScheduleEntry, b: ScheduleEntry): boolean {
  const end = (entry: ScheduleEntry) => (entry.to === null ? Number.POSITIVE_INFINITY : dayNumber(entry.to));
  return dayNumber(a.from) < end(b) && dayNumber(b.from) < end(a);
}

/** The next version of an entry; entries from before versions were stored stay without one. */
const bumped = (entry: StoredEntry): StoredEntry => ({ ...entry, version: entry.version === undefined ? undefined : entry.version + 1 });

/**
 * Changes a provider's schedule document with compare-and-set on its version: read, decide
 * (overlap, primary), write if nobody wrote in between, else start over with fresh data.
 *
 * Changes of an existing assignment name the assignment version they were decided on; a stored
 * entry at another version means a concurrent change of that assignment won, and the change is
 * refused (null) before anything is written — the schedule is where such races are decided.
 */
@Injectable()
export class ScheduleBook {
  constructor(
    private readonly schedules: ProviderScheduleRepository,
    private readonly env: EnterpriseEnv,
  ) {}

  /**
   * Adds an entry (`currentVersion` null: a new assignment, stored at version 1), or replaces the
   * entry of the same assignment at `currentVersion` (stored at the next version). Refuses any
   * overlap. The result is primary when asked, when it already was, or when no other assignment
   * is primary on its dates — so a provider always has exactly one primary clinic wherever they work.
   */
  async place(orgId: string, providerId: string, entry: Omit<StoredEntry, 'version'>, makePrimary: boolean, currentVersion: number | null): Promise<Placement | null> {
    return this.mutate(orgId, providerId, (entries) => {
      const previous = entries.find((other) => other.assignmentId === entry.assignmentId);
      if (currentVersion === null ? previous !== undefined : !isAt(previous, currentVersion)) return null;
      const others = entries.filter((other) => other.assignmentId !== entry.assignmentId);
      const conflict = findConflict(entry, others, this.env.SCHEDULE_HORIZON_DAYS);
      if (conflict) throw new AssignmentConflictError(conflict);
      const overlapping = others.filter((other) => periodsOverlap(other, entry));
      const primary = makePrimary || previous?.primary === true || !overlapping.some((other) => other.primary);
      const demoted = primary ? new Set(overlapping.filter((other) => other.primary).map((other) => other.assignmentId)) : new Set<string>();
      const placed: StoredEntry = { ...entry, primary, version: (currentVersion ?? 0) + 1 };
      const next = others.map((other) => (demoted.has(other.assignmentId) ? { ...bumped(other), primary: false } : other));
      return {
        entries: [...next, placed],
        result: { primary, changed: [placed, ...next.filter((other) => demoted.has(other.assignmentId))] },
      };
    });
  }

  /**
   * Ends the entry at `endDate` (exclusive), non-primary; it stays, possibly with an empty period,
   * as the record of that version. The new version, or null when the entry is not at `currentVersion`.
   */
  async end(orgId: string, providerId: string, assignmentId: string, endDate: string, currentVersion: number): Promise<number | null> {
    const version = currentVersion + 1;
    const ended = await this.mutate(orgId, providerId, (entries) => {
      const previous = entries.find((entry) => entry.assignmentId === assignmentId);
      if (!isAt(previous, currentVersion)) return null;
      const entry: StoredEntry = { ...previous!, to: endDate, primary: false, version };
      return { entries: entries.map((other) => (other.assignmentId === assignmentId ? entry : other)), result: true };
    });
    return ended ? version : null;
  }

  /** Compensation when the assignment document could not be written. */
  async remove(orgId: string, providerId: string, assignmentId: string): Promise<void> {
    await this.mutate(orgId, providerId, (entries) => ({ entries: entries.filter((entry) => entry.assignmentId !== assignmentId), result: undefined }));
  }

  /** The stored entry of one assignment, as of now. */
  async entry(orgId: string, providerId: string, assignmentId: string): Promise<StoredEntry | undefined> {
    return (await this.schedules.read(orgId, providerId)).entries.find((entry) => entry.assignmentId === assignmentId);
  }

  private async mutate<T>(orgId: string, providerId: string, change: Change<T>): Promise<T | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const schedule = await this.schedules.read(orgId, providerId);
      const changed = change(schedule.entries);
      if (!changed) return null;
      if (await this.schedules.writeIfVersion(schedule, changed.entries)) return changed.result;
    }
    throw new ScheduleBusyError();
  }
}

/** Is the stored entry the state of the assignment at `version`? (Entries without a version predate them.) */
function isAt(entry: StoredEntry | undefined, version: number): boolean {
  return entry !== undefined && (entry.version === undefined || entry.version === version);
}
