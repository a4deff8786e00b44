import { describe, expect, it } from 'vitest';
import { inQuietHours, quietHoursEnd } from './quiet-hours.js';

const night = { start: '22:00', end: '07:00' };
const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('knows a window that spans midnight from one that does not', () => {
    expect(inQuietHours(night, at('2026-06-10T21:30:00Z'), 'Europe/Zurich')).toBe(true); // 23:30 local
    expect(inQuietHours(night, at('2026-06-11T04:59:00Z'), 'Europe/Zurich')).toBe(true); // 06:59 local
    expect(inQuietHours(night, at('2026-06-11T05:00:00Z'), 'Europe/Zurich')).toBe(false); // 07:00 local
    expect(inQuietHours({ start: '12:00', end: '14:00' }, at('2026-06-11T11:00:00Z'), 'Europe/Zurich')).toBe(true);
    expect(inQuietHours({ start: '09:00', end: '09:00' }, at('2026-06-11T07:00:00Z'), 'Europe/Zurich')).toBe(false);
  });

  it('ends a window that spans midnight at the end time of the next local day', () => {
    expect(quietHoursEnd(night, at('2026-06-10T21:30:00Z'), 'Europe/Zurich')).toEqual(at('2026-06-11T05:00:00Z'));
    expect(quietHoursEnd(night, at('2026-06-11T04:59:30Z'), 'Europe/Zurich')).toEqual(at('2026-06-11T05:00:00Z'));
    // UTC+14: the local date is a day ahead of UTC's.
    expect(quietHoursEnd(night, at('2026-06-10T09:00:00Z'), 'Pacific/Kiritimati')).toEqual(at('2026-06-10T17:00:00Z'));
    expect(quietHoursEnd({ start: '23:30', end: '00:15' }, at('2026-06-10T23:50:00Z'), 'UTC')).toEqual(at('2026-06-11T00:15:00Z'));
    expect(quietHoursEnd(night, at('2026-06-11T12:00:00Z'), 'Europe/Zurich')).toBeUndefined();
  });

  it('honours daylight saving changes inside the window', () => {
    // Zurich falls back on 2026-10-25 (03:00 CEST → 02:00 CET): 07:00 is then UTC+1.
    expect(quietHoursEnd(night, at('2026-10-24T21:00:00Z'), 'Europe/Zurich')).toEqual(at('2026-10-25T06:00:00Z'));
    // It springs forward on 2026-03-29 (02:00 CET → 03:00 CEST): 07:00 is then UTC+2.
    expect(quietHoursEnd(night, at('2026-03-28T22:00:00Z'), 'Europe/Zurich')).toEqual(at('2026-03-29T05:00:00Z'));
    // An end the clocks jump over (02:30 does not exist that night) ends at the jump, 03:00 CEST.
    expect(quietHoursEnd({ start: '22:00', end: '02:30' }, at('2026-03-28T22:00:00Z'), 'Europe/Zurich')).toEqual(at('2026-03-29T01:00:00Z'));
    // New York springs forward on 2026-03-08.
    expect(quietHoursEnd(night, at('2026-03-08T04:00:00Z'), 'America/New_York')).toEqual(at('2026-03-08T11:00:00Z'));
  });
});
