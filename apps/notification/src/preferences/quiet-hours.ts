import type { QuietHours } from './preference.schema.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;

const minutes = (hhmm: string): number => {
  const [hours, mins] = hhmm.split(':').map(Number);
  return hours! * 60 + mins!;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Wall-clock fields of `at` in `timezone` (formatters are cached: building one is the slow part). */
function wallClock(at: Date, timezone: string): WallClock {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, format);
  }
  const fields: Record<string, number> = {};
  for (const part of format.formatToParts(at)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour!, minute: fields.minute! };
}

/** Minutes since local midnight of a wall-clock reading. */
const minutesOfDay = ({ hour, minute }: WallClock): number => hour * 60 + minute;

/** Minutes since local midnight at `now` in `timezone`. */
export function localMinutes(now: Date, timezone: string): number {
  return minutesOfDay(wallClock(now, timezone));
}

/** A wall-clock reading as a number on the UTC scale (minute precision), to compare readings. */
const onUtcScale = ({ year, month, day, hour, minute }: WallClock): number => Date.UTC(year, month - 1, day, hour, minute);

/** A window may span midnight (22:00-07:00); one that starts where it ends is empty. */
function inWindow(quiet: QuietHours, local: number): boolean {
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/** True when `now` falls inside the window in the given zone. */
export function inQuietHours(quiet: QuietHours, now: Date, timezone: string): boolean {
  return inWindow(quiet, localMinutes(now, timezone));
}

/**
 * When the quiet window that `now` falls in ends: the first instant at which the wall clock in
 * `timezone` reads `quiet.end` or later (today or, for a window spanning midnight, tomorrow).
 * Undefined outside the window. Daylight-saving changes inside the window are honoured, and an
 * end the clocks jump over becomes the instant of the jump.
 */
export function quietHoursEnd(quiet: QuietHours, now: Date, timezone: string): Date | undefined {
  const local = wallClock(now, timezone);
  const localNow = minutesOfDay(local);
  if (!inWindow(quiet, localNow)) return undefined;
  const ahead = (minutes(quiet.end) - localNow + DAY_MINUTES) % DAY_MINUTES;
  const end = onUtcScale(local) + ahead * MINUTE_MS;
  // Binary search over whole minutes (zone offsets are whole minutes): `low` is still quiet,
  // `high` is past the end even if the offset changes by up to three hours on the way.
  let low = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  let high = low + (ahead + 180) * MINUTE_MS;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / MINUTE_MS / 2) * MINUTE_MS;
    if (onUtcScale(wallClock(new Date(middle), timezone)) >= end) high = middle;
    else low = middle;
  }
  return new Date(high);
}
