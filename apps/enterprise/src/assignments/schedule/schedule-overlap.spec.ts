import { describe, expect, it } from 'vitest';
import { findConflict, type ScheduleEntry } from './schedule-overlap.js';
import { isIanaTimeZone, isRealDate, localToUtc } from './zoned-time.js';

const entry = (id: string, timeZone: string, from: string, to: string | null, slots: ScheduleEntry['slots']): ScheduleEntry => ({
  assignmentId: id,
  clinicId: `clinic-${id}`,
  timeZone,
  from,
  to,
  slots,
  exceptions: [],
});

const utc = (iso: string) => new Date(iso).getTime();

describe('zoned time', () => {
  it('maps wall-clock times to UTC across DST changes', () => {
    expect(localToUtc('Europe/Paris', utc('2026-01-05T13:00:00Z'))).toBe(utc('2026-01-05T12:00:00Z'));
    expect(localToUtc('Europe/Paris', utc('2026-07-06T13:00:00Z'))).toBe(utc('2026-07-06T11:00:00Z'));
    expect(localToUtc('America/New_York', utc('2026-03-09T08:00:00Z'))).toBe(utc('2026-03-09T12:00:00Z'));
  });

  it('moves a time in the spring gap forward and takes the earlier of an ambiguous time', () => {
    expect(localToUtc('Europe/Paris', utc('2026-03-29T02:30:00Z'))).toBe(utc('2026-03-29T01:30:00Z'));
    expect(localToUtc('Europe/Paris', utc('2026-10-25T02:30:00Z'))).toBe(utc('2026-10-25T00:30:00Z'));
  });

  it('accepts IANA zones and real dates only', () => {
    expect(isIanaTimeZone('Europe/Paris')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false);
    expect(isIanaTimeZone('+01:00')).toBe(false);
    expect(isRealDate('2026-02-28')).toBe(true);
    expect(isRealDate('2026-02-30')).toBe(false);
  });
});

describe('schedule overlap', () => {
  // Paris 13:00-14:00 and New York 08:00-09:00 on Mondays touch end to start while both zones are
  // on standard or both on summer time, and overlap in the weeks when only the US has moved.
  const paris = entry('paris', 'Europe/Paris', '2026-01-05', null, [{ day: 1, start: '13:00', end: '14:00' }]);

  it('allows back-to-back slots in winter', () => {
    const ny = entry('ny', 'America/New_York', '2026-01-05', '2026-03-02', [{ day: 1, start: '08:00', end: '09:00' }]);
    expect(findConflict(ny, [paris], 800)).toBeNull();
  });

  it('finds the overlap in the March weeks between the US and EU changes', () => {
    const ny = entry('ny', 'America/New_York', '2026-03-02', '2026-04-06', [{ day: 1, start: '08:00', end: '09:00' }]);
    expect(findConflict(ny, [paris], 800)).toEqual({
      assignmentId: 'paris',
      clinicId: 'clinic-paris',
      date: '2026-03-09',
      interval: { start: '2026-03-09T12:00:00.000Z', end: '2026-03-09T13:00:00.000Z' },
    });
  });

  it('finds the autumn overlap for open-ended schedules starting in summer', () => {
    const ny = entry('ny', 'America/New_York', '2026-04-06', null, [{ day: 1, start: '08:00', end: '09:00' }]);
    expect(findConflict(ny, [paris], 800)?.date).toBe('2026-10-26');
  });

  it('ignores slots covered by a not-available exception', () => {
    const ny = entry('ny', 'America/New_York', '2026-03-02', '2026-03-30', [{ day: 1, start: '08:00', end: '09:00' }]);
    ny.exceptions = [{ from: new Date('2026-03-08T00:00:00Z'), to: new Date('2026-03-30T00:00:00Z') }];
    expect(findConflict(ny, [paris], 800)).toBeNull();
  });

  it('finds an overlap that starts after a not-available period longer than the horizon', () => {
    const ny = entry('ny', 'America/New_York', '2026-03-02', null, [{ day: 1, start: '08:00', end: '09:00' }]);
    ny.exceptions = [{ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2028-08-01T00:00:00Z') }];
    expect(findConflict(ny, [paris], 800)?.date).toBe('2028-10-30');
  });

  it('compares a late local slot with the next day elsewhere', () => {
    const tokyo = entry('tokyo', 'Asia/Tokyo', '2026-01-06', null, [{ day: 2, start: '06:00', end: '07:00' }]);
    const la = entry('la', 'America/Los_Angeles', '2026-01-05', null, [{ day: 1, start: '13:30', end: '14:30' }]);
    expect(findConflict(la, [tokyo], 30)?.interval).toEqual({ start: '2026-01-05T21:30:00.000Z', end: '2026-01-05T22:00:00.000Z' });
  });
});
