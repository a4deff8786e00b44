import { describe, expect, it } from 'vitest';
import { assignPrimaryPeriods, type DatePeriod, type PrimaryCandidate } from './primary-periods.js';

const candidate = (assignmentId: string, from: string, to: string | null, primaryPeriods: DatePeriod[] = []): PrimaryCandidate => ({ assignmentId, from, to, primaryPeriods });
const periodsById = (candidates: PrimaryCandidate[]) => Object.fromEntries(candidates.map((entry) => [entry.assignmentId, entry.primaryPeriods]));

describe('primary periods', () => {
  it('makes a lone assignment primary on all its dates', () => {
    expect(periodsById(assignPrimaryPeriods([candidate('a', '2026-01-05', null)]))).toEqual({ a: [{ from: '2026-01-05', to: null }] });
  });

  it('lets the preferred assignment take its dates only', () => {
    const decided = assignPrimaryPeriods(
      [candidate('a', '2026-01-05', null, [{ from: '2026-01-05', to: null }]), candidate('b', '2026-02-02', '2026-04-06', [{ from: '2026-02-02', to: '2026-04-06' }])],
      'b',
    );
    expect(periodsById(decided)).toEqual({
      a: [
        { from: '2026-01-05', to: '2026-02-02' },
        { from: '2026-04-06', to: null },
      ],
      b: [{ from: '2026-02-02', to: '2026-04-06' }],
    });
  });

  it('gives unclaimed dates to the earliest-created assignment covering them, and none outside any period', () => {
    const decided = assignPrimaryPeriods([
      candidate('a', '2026-01-05', '2026-03-02', [{ from: '2026-01-05', to: null }]),
      candidate('b', '2026-04-06', '2026-06-01'),
      candidate('c', '2026-02-02', null),
    ]);
    expect(periodsById(decided)).toEqual({
      a: [{ from: '2026-01-05', to: '2026-03-02' }],
      b: [{ from: '2026-04-06', to: '2026-06-01' }],
      c: [
        { from: '2026-03-02', to: '2026-04-06' },
        { from: '2026-06-01', to: null },
      ],
    });
  });
});
