import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startWithParisClinics, uid } from './support.js';
import type { Json } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let paris: Json;
let parisToo: Json;

beforeAll(async () => {
  ({ h, owner, org, paris, parisToo } = await startWithParisClinics('ent_assign_primary', ['dentist', 'hygienist']));
});
afterAll(() => h?.close());

interface Period {
  from: string;
  to: string | null;
}

const base = () => `/api/v1/organizations/${org.id}/assignments`;

/** A distinct weekly slot per index, so a provider's assignments never overlap in time. */
const slotsFor = (index: number) => {
  const hour = 8 + Math.floor(index / 5) * 2;
  const time = (value: number) => `${String(value).padStart(2, '0')}:00`;
  return [{ day: (index % 5) + 1, start: time(hour), end: time(hour + 1) }];
};

async function assign(provider: string, index: number, period: Period, primary?: boolean): Promise<Json> {
  const clinicId = index % 2 === 0 ? paris.id : parisToo.id;
  const body = { providerId: provider, clinicId, role: 'dentist', ...period, slots: slotsFor(index), ...(primary ? { primary } : {}) };
  const reply = await h.call('POST', base(), owner, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

async function end(id: string, endDate: string): Promise<Json> {
  const reply = await h.call('POST', `${base()}/${id}/end`, owner, { endDate });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

async function update(id: string, body: Record<string, unknown>): Promise<Json> {
  const reply = await h.call('PATCH', `${base()}/${id}`, owner, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

const primaryPeriodsOf = async (id: string): Promise<Period[]> => (await h.call('GET', `${base()}/${id}`, owner)).body.primaryPeriods;

async function providerAssignments(provider: string, query = ''): Promise<Json[]> {
  const reply = await h.call('GET', `${base()}?providerId=${provider}&limit=100${query}`, owner);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

const covers = (period: Period, date: string) => period.from <= date && (period.to === null || date < period.to);

function* days(from: string, to: string): Generator<string> {
  for (let day = new Date(`${from}T00:00:00Z`); day.toISOString().slice(0, 10) < to; day.setUTCDate(day.getUTCDate() + 1)) {
    yield day.toISOString().slice(0, 10);
  }
}

/** Every date with at least one assignment has exactly one primary, and none is primary outside its own period. */
async function expectOnePrimaryPerDate(provider: string): Promise<void> {
  const items = await providerAssignments(provider);
  for (const date of days('2025-12-01', '2027-06-01')) {
    const covering = items.filter((item) => covers(item as Period, date));
    const primaries = items.filter((item) => (item.primaryPeriods as Period[]).some((period) => covers(period, date)));
    expect(primaries.length, `primaries on ${date}`).toBe(covering.length === 0 ? 0 : 1);
    if (primaries.length === 1) expect(covering.map((item) => item.id)).toContain(primaries[0]!.id);
  }
  const listedPrimary = (await providerAssignments(provider, '&primary=true')).map((item) => item.id).sort();
  expect(listedPrimary).toEqual(items.filter((item) => item.primary).map((item) => item.id).sort());
  const listedOthers = (await providerAssignments(provider, '&primary=false')).map((item) => item.id).sort();
  expect(listedOthers).toEqual(items.filter((item) => !item.primary).map((item) => item.id).sort());
}

describe('primary clinic per date', () => {
  it('makes the first assignment primary on all its dates', async () => {
    const a = await assign(uid('p'), 0, { from: '2026-01-05', to: null });
    expect(a).toMatchObject({ primary: true, primaryPeriods: [{ from: '2026-01-05', to: null }] });
  });

  it('demotes an open-ended primary only on the dates of a new primary', async () => {
    const provider = uid('p');
    const a = await assign(provider, 0, { from: '2026-01-05', to: null });
    const b = await assign(provider, 1, { from: '2026-02-02', to: '2026-04-06' }, true);
    expect(b.primaryPeriods).toEqual([{ from: '2026-02-02', to: '2026-04-06' }]);
    expect(await primaryPeriodsOf(a.id)).toEqual([
      { from: '2026-01-05', to: '2026-02-02' },
      { from: '2026-04-06', to: null },
    ]);
    await expectOnePrimaryPerDate(provider);
  });

  it('hands the dates after a primary ends to a non-primary assignment covering them', async () => {
    const provider = uid('p');
    const a = await assign(provider, 0, { from: '2026-01-05', to: '2026-03-02' });
    const b = await assign(provider, 1, { from: '2026-02-02', to: null });
    expect(b).toMatchObject({ primary: true, primaryPeriods: [{ from: '2026-03-02', to: null }] });
    expect(await primaryPeriodsOf(a.id)).toEqual([{ from: '2026-01-05', to: '2026-03-02' }]);
    await expectOnePrimaryPerDate(provider);
  });

  it('promotes the earliest-created remaining assignment when the primary is ended', async () => {
    const provider = uid('p');
    const a = await assign(provider, 0, { from: '2026-01-05', to: null });
    const b = await assign(provider, 1, { from: '2026-01-05', to: null });
    const c = await assign(provider, 2, { from: '2026-02-02', to: null });
    expect([b.primaryPeriods, c.primaryPeriods]).toEqual([[], []]);
    const ended = await end(a.id, '2026-03-02');
    expect(ended).toMatchObject({ status: 'ended', primaryPeriods: [{ from: '2026-01-05', to: '2026-03-02' }] });
    expect(await primaryPeriodsOf(b.id)).toEqual([{ from: '2026-03-02', to: null }]);
    expect(await primaryPeriodsOf(c.id)).toEqual([]);
    await end(b.id, '2026-05-04');
    expect(await primaryPeriodsOf(c.id)).toEqual([{ from: '2026-05-04', to: null }]);
    await expectOnePrimaryPerDate(provider);
  });

  it('answers primary for today, or for the first day of an assignment that starts later', async () => {
    const provider = uid('p');
    const now = await assign(provider, 0, { from: '2026-01-05', to: null });
    const later = await assign(provider, 1, { from: '2099-01-05', to: null });
    expect([now.primary, later.primary]).toEqual([true, false]);
    const promoted = await update(later.id, { primary: true });
    expect(promoted).toMatchObject({ primary: true, primaryPeriods: [{ from: '2099-01-05', to: null }] });
    expect((await h.call('GET', `${base()}/${now.id}`, owner)).body).toMatchObject({ primary: true, primaryPeriods: [{ from: '2026-01-05', to: '2099-01-05' }] });
    await expectOnePrimaryPerDate(provider);
  });

  it('keeps exactly one primary on every date through a sequence of creates, updates and ends', async () => {
    const provider = uid('p');
    const a = await assign(provider, 0, { from: '2026-01-05', to: null });
    await expectOnePrimaryPerDate(provider);
    const b = await assign(provider, 1, { from: '2026-03-02', to: '2026-09-07' }, true);
    await expectOnePrimaryPerDate(provider);
    const c = await assign(provider, 2, { from: '2026-02-02', to: null });
    await expectOnePrimaryPerDate(provider);
    const d = await assign(provider, 3, { from: '2026-06-01', to: '2026-12-07' }, true);
    await expectOnePrimaryPerDate(provider);
    await end(a.id, '2026-08-03');
    await expectOnePrimaryPerDate(provider);
    await update(c.id, { primary: true });
    expect(await primaryPeriodsOf(c.id)).toEqual([{ from: '2026-02-02', to: null }]);
    await expectOnePrimaryPerDate(provider);
    const e = await assign(provider, 4, { from: '2026-10-05', to: null });
    await expectOnePrimaryPerDate(provider);
    const before = await primaryPeriodsOf(b.id);
    await update(b.id, { slots: slotsFor(5) });
    expect(await primaryPeriodsOf(b.id)).toEqual(before);
    await end(c.id, '2026-11-02');
    expect(await primaryPeriodsOf(d.id)).toEqual([{ from: '2026-11-02', to: '2026-12-07' }]);
    await expectOnePrimaryPerDate(provider);
    await end(d.id, '2026-07-06');
    await expectOnePrimaryPerDate(provider);
    await assign(provider, 6, { from: '2027-01-04', to: '2027-03-01' }, true);
    await expectOnePrimaryPerDate(provider);
    await end(e.id, '2027-02-01');
    await expectOnePrimaryPerDate(provider);
  });
});
