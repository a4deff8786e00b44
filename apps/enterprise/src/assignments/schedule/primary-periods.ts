/** Local dates `[from, to)`; to = null is open ended. */
export interface DatePeriod {
  from: string;
  to: string | null;
}

/** What deciding the primary clinic needs to know about one assignment. */
export interface PrimaryCandidate {
  assignmentId: string;
  from: string;
  to: string | null;
  /** The dates on which this assignment is the provider's primary clinic, sorted and disjoint. */
  primaryPeriods: DatePeriod[];
}

export function coversDate(period: DatePeriod, date: string): boolean {
  return period.from <= date && (period.to === null || date < period.to);
}

export function isPrimaryOn(primaryPeriods: DatePeriod[], date: string): boolean {
  return primaryPeriods.some((period) => coversDate(period, date));
}

export function samePeriods(a: DatePeriod[], b: DatePeriod[]): boolean {
  return a.length === b.length && a.every((period, index) => period.from === b[index]!.from && period.to === b[index]!.to);
}

/** Every date where an assignment starts or stops, or a primary period starts or stops, sorted. */
function boundaries(candidates: PrimaryCandidate[]): string[] {
  const dates = new Set<string>();
  for (const candidate of candidates) {
    for (const period of [candidate, ...candidate.primaryPeriods]) {
      dates.add(period.from);
      if (period.to !== null) dates.add(period.to);
    }
  }
  return [...dates].sort();
}

function appendPeriod(periods: DatePeriod[], period: DatePeriod): void {
  const last = periods.at(-1);
  if (last && last.to === period.from) last.to = period.to;
  else periods.push(period);
}

/**
 * Gives every date covered by at least one assignment exactly one primary. Between consecutive
 * boundaries who covers and who is primary does not change, so each such segment is decided once:
 * it stays with its current primary (`preferred` first when several claim it); a segment nobody
 * claims goes to the earliest-created assignment covering it (the first in `candidates`, which
 * are in creation order). Dates no assignment covers have no primary, and no assignment keeps
 * primary dates outside its own period.
 */
export function assignPrimaryPeriods<T extends PrimaryCandidate>(candidates: T[], preferred?: string): T[] {
  const periods = new Map<string, DatePeriod[]>(candidates.map((candidate) => [candidate.assignmentId, []]));
  const dates = boundaries(candidates);
  dates.forEach((start, index) => {
    const segment: DatePeriod = { from: start, to: dates[index + 1] ?? null };
    const covering = candidates.filter((candidate) => coversDate(candidate, start));
    if (covering.length === 0) return;
    const claiming = covering.filter((candidate) => isPrimaryOn(candidate.primaryPeriods, start));
    const owner = claiming.find((candidate) => candidate.assignmentId === preferred) ?? claiming[0] ?? covering[0]!;
    appendPeriod(periods.get(owner.assignmentId)!, segment);
  });
  return candidates.map((candidate) => ({ ...candidate, primaryPeriods: periods.get(candidate.assignmentId)! }));
}
