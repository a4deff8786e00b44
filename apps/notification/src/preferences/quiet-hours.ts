import type { QuietHours } from './preference.schema.js';

const minutes = (hhmm: string): number => {
  const [hours, mins] = hhmm.split(':').map(Number);
  return hours! * 60 + mins!;
};

/** Minutes since local midnight at `now` in `timezone`. */
export function localMinutes(now: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/** True when `now` falls inside the window in the given zone; a window may span midnight (22:00-07:00). */
export function inQuietHours(quiet: QuietHours, now: Date, timezone: string): boolean {
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  const local = localMinutes(now, timezone);
  return start < end ? local >= start && local < end : local >= start || local < end;
}
