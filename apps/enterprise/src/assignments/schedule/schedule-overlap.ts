import { DAY, dateOf, dayNumber, isoWeekday, localToUtc, minutesOf } from './zoned-time.js';

export interface WeeklySlot {
  /** ISO weekday, Monday = 1. */
  day: number;
  /** Local wall-clock `HH:mm`, start inclusive. */
  start: string;
  /** Local wall-clock `HH:mm`, end exclusive, later than start on the same day. */
  end: string;
}

export interface NotAvailable {
  from: Date;
  to: Date;
}

/** What overlap checking needs to know about one assignment. */
export interface ScheduleEntry {
  assignmentId: string;
  clinicId: string;
  timeZone: string;
  /** First local date, inclusive. */
  from: string;
  /** Local date the assignment stops, exclusive; null = open ended. */
  to: string | null;
  slots: WeeklySlot[];
  exceptions: NotAvailable[];
}

export interface ScheduleConflict {
  assignmentId: string;
  clinicId: string;
  /** Local date (in the conflicting clinic's zone) of the slot that overlaps. */
  date: string;
  interval: { start: string; end: string };
}

interface Interval {
  start: number;
  end: number;
  date: string;
}

function periodEnd(entry: ScheduleEntry): number {
  return entry.to === null ? Number.POSITIVE_INFINITY : dayNumber(entry.to);
}

/** Real UTC intervals of an entry's slots on its local dates in [firstDay, endDay), minus exceptions. */
function utcIntervals(entry: ScheduleEntry, firstDay: number, endDay: number): Interval[] {
  const from = Math.max(firstDay, dayNumber(entry.from));
  const to = Math.min(endDay, periodEnd(entry));
  const byWeekday = new Map<number, WeeklySlot[]>();
  for (const slot of entry.slots) byWeekday.set(slot.day, [...(byWeekday.get(slot.day) ?? []), slot]);
  const intervals: Interval[] = [];
  for (let day = from; day < to; day++) {
    const slots = byWeekday.get(isoWeekday(day));
    if (!slots) continue;
    for (const slot of slots) {
      const start = localToUtc(entry.timeZone, day * DAY + minutesOf(slot.start) * 60_000);
      const end = localToUtc(entry.timeZone, day * DAY + minutesOf(slot.end) * 60_000);
      if (end > start) intervals.push(...subtract({ start, end, date: dateOf(day) }, entry.exceptions));
    }
  }
  return intervals.sort((a, b) => a.start - b.start);
}

function subtract(interval: Interval, exceptions: NotAvailable[]): Interval[] {
  let pieces = [interval];
  for (const exception of exceptions) {
    const from = exception.from.getTime();
    const to = exception.to.getTime();
    pieces = pieces.flatMap((piece) => {
      if (to <= piece.start || from >= piece.end) return [piece];
      const rest: Interval[] = [];
      if (from > piece.start) rest.push({ ...piece, end: from });
      if (to < piece.end) rest.push({ ...piece, start: to });
      return rest;
    });
  }
  return pieces;
}

/** The day after the last not-available period of an entry ends (UTC day number), or -Infinity. */
function lastExceptionDay(entry: ScheduleEntry): number {
  return Math.max(Number.NEGATIVE_INFINITY, ...entry.exceptions.map((exception) => Math.ceil(exception.to.getTime() / DAY)));
}

/** Do the two entries' effective periods share at least one date (with a day's slack for zones)? */
export function periodsTouch(a: ScheduleEntry, b: ScheduleEntry): boolean {
  return dayNumber(a.from) < periodEnd(b) + 1 && dayNumber(b.from) < periodEnd(a) + 1;
}

/**
 * First real-time overlap between a candidate and existing entries, compared as UTC intervals so
 * clinics in different zones and DST changes are handled; touching intervals (back to back) are
 * fine. Open-ended pairs are compared up to `horizonDays` after the later start or the end of the
 * last exception of either, whichever is later: weekly slots and yearly DST rules repeat, so later
 * dates add no new combinations.
 */
export function findConflict(candidate: ScheduleEntry, existing: ScheduleEntry[], horizonDays: number): ScheduleConflict | null {
  for (const other of existing) {
    if (other.assignmentId === candidate.assignmentId || !periodsTouch(candidate, other)) continue;
    // One day of slack either side: a local date in one zone can overlap the next date in another.
    const firstDay = Math.max(dayNumber(candidate.from), dayNumber(other.from)) - 1;
    // Past the last exception the weekly pattern is plain again: the horizon counts from there.
    const patternStart = Math.max(firstDay + 1, lastExceptionDay(candidate) + 1, lastExceptionDay(other) + 1);
    const endDay = Math.min(periodEnd(candidate), periodEnd(other), patternStart + horizonDays) + 1;
    const mine = utcIntervals(candidate, firstDay, endDay);
    if (mine.length === 0) continue;
    const theirs = utcIntervals(other, firstDay, endDay);
    let i = 0;
    let j = 0;
    while (i < mine.length && j < theirs.length) {
      const a = mine[i]!;
      const b = theirs[j]!;
      if (a.start < b.end && b.start < a.end) {
        return {
          assignmentId: other.assignmentId,
          clinicId: other.clinicId,
          date: b.date,
          interval: { start: new Date(Math.max(a.start, b.start)).toISOString(), end: new Date(Math.min(a.end, b.end)).toISOString() },
        };
      }
      if (a.end <= b.end) i++;
      else j++;
    }
  }
  return null;
}
