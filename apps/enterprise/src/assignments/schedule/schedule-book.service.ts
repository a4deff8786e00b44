import { Injectable } from '@nestjs/common';
import { EnterpriseEnv } from '../../config/enterprise.env.js';
import { AssignmentConflictError, AssignmentEndedError, ScheduleBusyError } from '../assignments.errors.js';
import { assignPrimaryPeriods, samePeriods } from './primary-periods.js';
import { ProviderScheduleRepository } from './provider-schedule.repository.js';
import type { StoredEntry } from './provider-schedule.schema.js';
import { findConflict } from './schedule-overlap.js';

const MAX_ATTEMPTS = 25;

/** What a caller hands the schedule: the assignment's own data, without what the schedule decides. */
export type EntryToPlace = Omit<StoredEntry, 'version' | 'status' | 'primaryPeriods'>;

export interface Placement {
  placed: StoredEntry;
  /** Entries this change wrote, the placed one first, then those whose primary dates moved: what the assignment documents must mirror. */
  changed: StoredEntry[];
}

export type EndOutcome =
  /** This request ended it; `changed` as in Placement, the ended entry first. */
  | { kind: 'ended'; changed: StoredEntry[] }
  /** Someone else ended it first (ending is final); nothing was written. */
  | { kind: 'already-ended'; entry: StoredEntry };

/** What a change makes of the entries; no entries leaves the schedule unwritten, null means the change is stale. */
type Change<T> = (entries: StoredEntry[]) => { entries?: StoredEntry[]; result: T } | null;

/** The next version of an entry; entries from before versions were stored stay without one. */
const bumped = (entry: StoredEntry): StoredEntry => ({ ...entry, version: entry.version === undefined ? undefined : entry.version + 1 });

/**
 * Re-decides every date's primary (see assignPrimaryPeriods). Entries whose primary dates moved
 * get their next version, except `subjectId`, which the change has versioned already.
 */
function decidePrimaries(entries: StoredEntry[], subjectId: string | null, preferred?: string): { entries: StoredEntry[]; moved: StoredEntry[] } {
  const decided = assignPrimaryPeriods(entries, preferred);
  const next = decided.map((entry, index) =>
    entry.assignmentId !== subjectId && !samePeriods(entry.primaryPeriods, entries[index]!.primaryPeriods) ? bumped(entry) : entry,
  );
  return { entries: next, moved: next.filter((entry, index) => entry !== decided[index]) };
}

function replaced(entries: StoredEntry[], entry: StoredEntry): StoredEntry[] {
  return entries.map((other) => (other.assignmentId === entry.assignmentId ? entry : other));
}

/**
 * Changes a provider's schedule document with compare-and-set on its version: read, decide
 * (overlap, primary dates, end), write if nobody wrote in between, else start over with fresh data.
 *
 * Changes of an existing assignment name the assignment version they were decided on; a stored
 * entry at another version means a concurrent change of that assignment won, and the change is
 * refused (null) before anything is written — the schedule is where such races are decided. An
 * ended entry is final: nothing places or ends it again.
 */
@Injectable()
export class ScheduleBook {
  constructor(
    private readonly schedules: ProviderScheduleRepository,
    private readonly env: EnterpriseEnv,
  ) {}

  /**
   * Adds an entry (`currentVersion` null: a new assignment, stored at version 1, last in creation
   * order), or replaces the entry of the same assignment at `currentVersion` (stored at the next
   * version, in its place). Refuses any overlap, and an ended assignment. `makePrimary` makes it
   * primary on all its dates, taking them from whoever held them; otherwise it keeps its primary
   * dates and gets those no other assignment holds — so the first assignment is primary.
   */
  async place(orgId: string, providerId: string, entry: EntryToPlace, makePrimary: boolean, currentVersion: number | null): Promise<Placement | null> {
    return this.mutate(orgId, providerId, (entries) => {
      const previous = entries.find((other) => other.assignmentId === entry.assignmentId);
      if (previous?.status === 'ended') throw new AssignmentEndedError();
      if (currentVersion === null ? previous !== undefined : !isAt(previous, currentVersion)) return null;
      const conflict = findConflict(entry, entries.filter((other) => other.assignmentId !== entry.assignmentId), this.env.SCHEDULE_HORIZON_DAYS);
      if (conflict) throw new AssignmentConflictError(conflict);
      const primaryPeriods = makePrimary ? [{ from: entry.from, to: entry.to }] : (previous?.primaryPeriods ?? []);
      const placed: StoredEntry = { ...entry, status: 'active', primaryPeriods, version: (currentVersion ?? 0) + 1 };
      const withPlaced = previous ? replaced(entries, placed) : [...entries, placed];
      const decided = decidePrimaries(withPlaced, entry.assignmentId, makePrimary ? entry.assignmentId : undefined);
      const stored = decided.entries.find((other) => other.assignmentId === entry.assignmentId)!;
      return { entries: decided.entries, result: { placed: stored, changed: [stored, ...decided.moved] } };
    });
  }

  /**
   * Ends the entry at `endDate` (exclusive). It stays, possibly with an empty period, as the record
   * of that version, keeping its primary dates before the end; those after go to the assignments
   * still covering them. Null when the entry is not at `currentVersion`.
   */
  async end(orgId: string, providerId: string, assignmentId: string, endDate: string, currentVersion: number): Promise<EndOutcome | null> {
    return this.mutate<EndOutcome>(orgId, providerId, (entries) => {
      const previous = entries.find((entry) => entry.assignmentId === assignmentId);
      if (previous?.status === 'ended') return { result: { kind: 'already-ended', entry: previous } };
      if (!isAt(previous, currentVersion)) return null;
      const ended: StoredEntry = { ...previous!, to: endDate, status: 'ended', version: currentVersion + 1 };
      const decided = decidePrimaries(replaced(entries, ended), assignmentId);
      const stored = decided.entries.find((entry) => entry.assignmentId === assignmentId)!;
      return { entries: decided.entries, result: { kind: 'ended', changed: [stored, ...decided.moved] } };
    });
  }

  /** Compensation when the assignment document could not be written; the entries whose primary dates moved back. */
  async remove(orgId: string, providerId: string, assignmentId: string): Promise<StoredEntry[]> {
    const removed = await this.mutate(orgId, providerId, (entries) => {
      const decided = decidePrimaries(entries.filter((entry) => entry.assignmentId !== assignmentId), null);
      return { entries: decided.entries, result: decided.moved };
    });
    return removed ?? [];
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
      if (!changed.entries) return changed.result;
      if (await this.schedules.writeIfVersion(schedule, changed.entries)) return changed.result;
    }
    throw new ScheduleBusyError();
  }
}

/** Is the stored entry the state of the assignment at `version`? (Entries without a version predate them.) */
function isAt(entry: StoredEntry | undefined, version: number): boolean {
  return entry !== undefined && (entry.version === undefined || entry.version === version);
}
