/**
 * Wall-clock time in IANA zones with the built-in Intl API only. Local times in a DST gap move
 * forward and ambiguous ones take the earlier instant (the "compatible" rule of Temporal and
 * RFC 5545), so every weekly slot maps to exactly one real UTC interval.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

const ZONE_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;

/** True for IANA names such as `Europe/Paris` or `UTC`; offsets and abbreviations are refused. */
export function isIanaTimeZone(value: string): boolean {
  if (!ZONE_NAME.test(value)) return false;
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone from UTC at an instant, in milliseconds (east positive). */
export function zoneOffset(timeZone: string, instant: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (`localMs` = the wall clock read as if it were UTC). */
export function localToUtc(timeZone: string, localMs: number): number {
  // Offsets a day and a half either side bracket any transition near this wall-clock time.
  const before = zoneOffset(timeZone, localMs - 36 * HOUR);
  const after = zoneOffset(timeZone, localMs + 36 * HOUR);
  const valid = [...new Set([before, after])].map((offset) => localMs - offset).filter((instant) => localMs - zoneOffset(timeZone, instant) === instant);
  if (valid.length > 0) return Math.min(...valid);
  // In a spring-forward gap: read the time with the offset in force before the gap.
  return localMs - Math.min(before, after);
}

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Math.floor(Date.UTC(year!, month! - 1, day!) / DAY);
}

export function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY).toISOString().slice(0, 10);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(dayNo: number): number {
  return ((new Date(dayNo * DAY).getUTCDay() + 6) % 7) + 1;
}

/** `HH:mm` → minutes since midnight. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** Today's date in UTC, the reference for "active" and for default end dates. */
export function todayUtc(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Real calendar date check (`2026-02-30` is refused). */
export function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return dateOf(dayNumber(value)) === value;
}
