import type { QuietHours } from './preference.schema.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;

const minutes = (hhmm: string): number => {
  const [hours, mins] = hhmm.split(':').map(Number);
  return hours! * 60 + mins!;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of `at` in `timezone` (formatters are cached: building one is the slow part). */
function wallClock(at: Date, timezone: string): { year: number; month: number; day: number; hour: number; minute: number } {
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

/** Minutes since local midnight at `now` in `timezone`. */
export function localMinutes(now: Date, timezone: string): number {
  const { hour, minute } = wallClock(now, timezone);
  return hour * 60 + minute;
}

/** The wall-clock reading of `at` in `timezone`, as a number on the UTC scale (minute precision). */
function wallMs(at: number, timezone: string): number {
  const { year, month, day, hour, minute } = wallClock(new Date(at), timezone);
  return Date.UTC(year, month - 1, day, hour, minute);
}

/** True when `now` falls inside the window in the given zone; a window may span midnight (22:00-07:00). */
export function inQuietHours(quiet: QuietHours, now: Date, timezone: string): boolean {
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  const local = localMinutes(now, timezone);
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/**
 * When the quiet window that `now` falls in ends: the first instant at which the wall clock in
 * `timezone` reads `quiet.end` or later (today or, for a window spanning midnight, tomorrow).
 * Undefined outside the window. Daylight-saving changes inside the window are honoured, and an
 * end the clocks jump over becomes the instant of the jump.
 */
export function quietHoursEnd(quiet: QuietHours, now: Date, timezone: string): Date | undefined {
  if (!inQuietHours(quiet, now, timezone)) return undefined;
  const local = wallClock(now, timezone);
  const ahead = (minutes(quiet.end) - (local.hour * 60 + local.minute) + DAY_MINUTES) % DAY_MINUTES;
  const end = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) + ahead * MINUTE_MS;
  // Binary search over whole minutes (zone offsets are whole minutes): `low` is still quiet,
  // `high` is past the end even if the offset changes by up to three hours on the way.
  let low = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  let high = low + (ahead + 180) * MINUTE_MS;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / MINUTE_MS / 2) * MINUTE_MS;
    if (wallMs(middle, timezone) >= end) high = middle;
    else low = middle;
  }
  return new Date(high);
}
