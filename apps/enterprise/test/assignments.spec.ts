import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinic, createOrg, type Harness, startEnterprise, uid } from './support.js';
import type { Json } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let paris: Json;
let newYork: Json;
let parisToo: Json;

beforeAll(async () => {
  h = await startEnterprise('ent_assign');
  owner = uid();
  org = await createOrg(h, owner, 'enterprise');
  paris = await createClinic(h, owner, org.id, { timeZone: 'Europe/Paris' });
  newYork = await createClinic(h, owner, org.id, { timeZone: 'America/New_York' });
  parisToo = await createClinic(h, owner, org.id, { timeZone: 'Europe/Paris', providerRoles: ['hygienist'] });
});
afterAll(() => h?.close());

const assign = (body: Record<string, unknown>) => h.call('POST', `/api/v1/organizations/${org.id}/assignments`, owner, body);
const monday = (start: string, end: string) => [{ day: 1, start, end }];

describe('provider assignments', () => {
  it('allows back-to-back slots across zones and refuses the DST-window overlap with the conflicting assignment', async () => {
    const provider = uid('p');
    const first = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('13:00', '14:00') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ timeZone: 'Europe/Paris', primary: true, status: 'active', to: null });
    const winter = await assign({ providerId: provider, clinicId: newYork.id, role: 'dentist', from: '2026-01-05', to: '2026-03-02', slots: monday('08:00', '09:00') });
    expect(winter.status).toBe(201);
    expect(winter.body.primary).toBe(false);
    const march = await assign({ providerId: provider, clinicId: newYork.id, role: 'dentist', from: '2026-03-02', to: '2026-04-06', slots: monday('08:00', '09:00') });
    expect(march.status).toBe(409);
    expect(march.body).toMatchObject({
      code: 'ASSIGNMENT_CONFLICT',
      conflict: { assignmentId: first.body.id, clinicId: paris.id, date: '2026-03-09', interval: { start: '2026-03-09T12:00:00.000Z', end: '2026-03-09T13:00:00.000Z' } },
    });
    const autumn = await assign({ providerId: provider, clinicId: newYork.id, role: 'dentist', from: '2026-04-06', slots: monday('08:00', '09:00') });
    expect(autumn.status).toBe(409);
    expect(autumn.body.conflict.date).toBe('2026-10-26');
  });

  it.each([1, 2, 3])('lets exactly one of two concurrent conflicting assignments win (round %i)', async () => {
    const provider = uid('p');
    const replies = await Promise.all([
      assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-05-04', slots: monday('09:00', '12:00') }),
      assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-05-04', slots: monday('11:00', '15:00') }),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
    const listed = await h.call('GET', `/api/v1/organizations/${org.id}/assignments?providerId=${provider}`, owner);
    expect(listed.body.items).toHaveLength(1);
  });

  it('refuses a role outside the clinic catalogue with 422', async () => {
    const reply = await assign({ providerId: uid('p'), clinicId: parisToo.id, role: 'dentist', from: '2026-05-04', slots: monday('09:00', '12:00') });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ code: 'ROLE_NOT_IN_CATALOGUE', role: 'dentist', catalogue: ['hygienist'] });
  });

  it('keeps exactly one primary: a new primary demotes the old one', async () => {
    const provider = uid('p');
    const a = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-06-01', slots: monday('08:00', '10:00') });
    const b = await assign({ providerId: provider, clinicId: newYork.id, role: 'dentist', from: '2026-06-01', slots: [{ day: 3, start: '08:00', end: '10:00' }], primary: true });
    expect(a.body.primary).toBe(true);
    expect(b.body.primary).toBe(true);
    const primaries = await h.call('GET', `/api/v1/organizations/${org.id}/assignments?providerId=${provider}&primary=true`, owner);
    expect(primaries.body.items.map((item: { id: string }) => item.id)).toEqual([b.body.id]);
    const c = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-06-01', slots: [{ day: 5, start: '08:00', end: '10:00' }] });
    expect(c.body.primary).toBe(false);
  });

  it('ends an assignment as a state change kept in history, freeing its later slots', async () => {
    const provider = uid('p');
    const a = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '12:00') });
    const ended = await h.call('POST', `/api/v1/organizations/${org.id}/assignments/${a.body.id}/end`, owner, { endDate: '2026-09-07' }, { 'if-match': '"1"' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', to: '2026-09-07', endedAt: expect.any(String) });
    const again = await h.call('POST', `/api/v1/organizations/${org.id}/assignments/${a.body.id}/end`, owner, {});
    expect(again.body.code).toBe('ASSIGNMENT_ENDED');
    const before = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-08-31', slots: monday('10:00', '11:00') });
    expect(before.status).toBe(409);
    const after = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-09-07', slots: monday('10:00', '11:00') });
    expect(after.status).toBe(201);
    const history = await h.call('GET', `/api/v1/organizations/${org.id}/assignments/${a.body.id}`, owner);
    expect(history.body.status).toBe('ended');
  });

  it('re-checks overlaps when slots change and refuses stale If-Match', async () => {
    const provider = uid('p');
    const a = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00') });
    await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: monday('10:00', '11:00') });
    const path = `/api/v1/organizations/${org.id}/assignments/${a.body.id}`;
    const overlapping = await h.call('PATCH', path, owner, { slots: monday('09:00', '10:30') });
    expect(overlapping.status).toBe(409);
    const moved = await h.call('PATCH', path, owner, { slots: [{ day: 2, start: '09:00', end: '10:30' }] }, { 'if-match': '"1"' });
    expect(moved.status).toBe(200);
    expect((await h.call('PATCH', path, owner, { slots: monday('07:00', '08:00') }, { 'if-match': '"1"' })).status).toBe(412);
  });

  it('lets exactly one of two concurrent updates with the same If-Match win, and the schedule keeps the winner', async () => {
    const provider = uid('p');
    const a = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00') });
    const path = `/api/v1/organizations/${org.id}/assignments/${a.body.id}`;
    const replies = await Promise.all(
      ['2', '3'].map((day) => h.call('PATCH', path, owner, { slots: [{ day: Number(day), start: '09:00', end: '10:00' }] }, { 'if-match': '"1"' })),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 412]);
    const winner = replies.find((reply) => reply.status === 200)!.body;
    expect(winner.version).toBe(2);
    const stored = await h.call('GET', path, owner);
    expect(stored.body).toMatchObject({ version: 2, slots: winner.slots });
    // The winner's day is taken in the schedule, the loser's and the old Monday are free.
    const winnerDay = winner.slots[0].day as number;
    const loserDay = winnerDay === 2 ? 3 : 2;
    const onWinnerDay = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: [{ day: winnerDay, start: '09:30', end: '10:30' }] });
    expect(onWinnerDay.status).toBe(409);
    const elsewhere = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: [{ day: loserDay, start: '09:30', end: '10:30' }, ...monday('09:00', '10:00')] });
    expect(elsewhere.status).toBe(201);
  });

  it('keeps slots and primary flag consistent when an update races a promotion that demotes it', async () => {
    const provider = uid('p');
    const a = await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00') });
    expect(a.body.primary).toBe(true);
    const path = `/api/v1/organizations/${org.id}/assignments/${a.body.id}`;
    const [updated, promoted] = await Promise.all([
      h.call('PATCH', path, owner, { slots: monday('07:00', '08:00') }),
      assign({ providerId: provider, clinicId: newYork.id, role: 'dentist', from: '2026-01-05', slots: [{ day: 4, start: '08:00', end: '10:00' }], primary: true }),
    ]);
    expect(updated.status).toBe(200);
    expect(promoted.status).toBe(201);
    const stored = await h.call('GET', path, owner);
    expect(stored.body).toMatchObject({ slots: monday('07:00', '08:00'), primary: false });
    expect(stored.headers.get('etag')).toBe(`"${stored.body.version}"`);
    const primaries = await h.call('GET', `/api/v1/organizations/${org.id}/assignments?providerId=${provider}&primary=true`, owner);
    expect(primaries.body.items.map((item: { id: string }) => item.id)).toEqual([promoted.body.id]);
    // The schedule agrees: Monday 07:00-08:00 is taken, 09:00-10:00 is free again.
    expect((await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: monday('07:30', '08:30') })).status).toBe(409);
    expect((await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: monday('09:00', '10:00') })).status).toBe(201);
  });

  it('rejects invalid schedules with field errors', async () => {
    const reply = await assign({ providerId: uid('p'), clinicId: paris.id, role: 'dentist', from: '2026-02-30', slots: [{ day: 8, start: '25:00', end: '10:00' }] });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['from', 'slots.0.day', 'slots.0.start']));
    const backwards = await assign({ providerId: uid('p'), clinicId: paris.id, role: 'dentist', from: '2026-02-02', slots: monday('10:00', '09:00') });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].field).toBe('slots[0].end');
  });

  it.each([
    ['an ISO week date', '2026-W01-1', '2026-W02-1'],
    ['an ordinal date', '2026-005', '2026-012'],
    ['a day that does not exist', '2026-02-30T00:00:00Z', '2026-02-31T00:00:00Z'],
    ['a date-time without seconds', '2026-01-05T00:00Z', '2026-01-12T00:00Z'],
  ])('refuses %s as an exception bound, naming the field, instead of losing the overlap check', async (_kind, from, to) => {
    const provider = uid('p');
    expect((await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00') })).status).toBe(201);
    const reply = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', slots: monday('09:30', '10:30'), exceptions: [{ from, to }] });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['exceptions.0.from', 'exceptions.0.to']));
  });

  it('accepts RFC 3339 exception bounds and still finds the overlap outside them', async () => {
    const provider = uid('p');
    expect((await assign({ providerId: provider, clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00') })).status).toBe(201);
    const exceptions = [{ from: '2026-01-05T00:00:00+01:00', to: '2026-01-12T00:00:00.000+01:00' }, { from: '2026-01-12', to: '2026-01-13' }];
    const reply = await assign({ providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: '2026-01-05', to: '2026-01-26', slots: monday('09:30', '10:30'), exceptions });
    expect(reply.status).toBe(409);
    expect(reply.body.conflict.date).toBe('2026-01-19');
  });

  it('refuses a not-available period ending more than 5 years ahead, which would make every overlap check walk to it', async () => {
    const farAhead = `${new Date().getUTCFullYear() + 6}-01-01`;
    const reply = await assign({ providerId: uid('p'), clinicId: paris.id, role: 'dentist', from: '2026-01-05', slots: monday('09:00', '10:00'), exceptions: [{ from: '2026-02-02', to: farAhead }] });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].field).toBe('exceptions[0].to');
  });

  it('enforces the provider limit of the plan', async () => {
    const freeOwner = uid();
    const small = await createOrg(h, freeOwner, 'free');
    const clinic = await createClinic(h, freeOwner, small.id);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const reply = await h.call('POST', `/api/v1/organizations/${small.id}/assignments`, freeOwner, {
        providerId: uid('p'),
        clinicId: clinic.id,
        role: 'dentist',
        from: '2026-01-05',
        slots: [{ day: 1 + i, start: '09:00', end: '10:00' }],
      });
      statuses.push(reply.status);
      if (i === 3) expect(reply.body).toMatchObject({ code: 'PLAN_LIMIT_EXCEEDED', resource: 'providers', limit: 3, current: 3 });
    }
    expect(statuses).toEqual([201, 201, 201, 403]);
  });

  it('counts a provider once while any assignment is active, even when the last one ends as a new one starts', async () => {
    const raceOwner = uid();
    const raceOrg = await createOrg(h, raceOwner, 'enterprise');
    const clinic = await createClinic(h, raceOwner, raceOrg.id);
    const path = `/api/v1/organizations/${raceOrg.id}/assignments`;
    const providers = [uid('p'), uid('p'), uid('p'), uid('p')];
    // A different weekday each round: an ended assignment keeps its slots up to its end date.
    const slotOf = (round: number) => [{ day: 1 + round, start: '08:00', end: '09:00' }];
    const current = new Map<string, string>();
    for (const providerId of providers) {
      const first = await h.call('POST', path, raceOwner, { providerId, clinicId: clinic.id, role: 'dentist', from: '2026-01-05', slots: slotOf(0) });
      current.set(providerId, first.body.id);
    }
    for (let round = 1; round <= 5; round++) {
      const replies = await Promise.all(
        providers.flatMap((providerId) => [
          h.call('POST', `${path}/${current.get(providerId)}/end`, raceOwner, {}),
          h.call('POST', path, raceOwner, { providerId, clinicId: clinic.id, role: 'dentist', from: '2026-01-05', slots: slotOf(round) }),
        ]),
      );
      expect(replies.map((reply) => reply.status)).toEqual(providers.flatMap(() => [200, 201]));
      providers.forEach((providerId, index) => current.set(providerId, replies[index * 2 + 1]!.body.id));
    }
    const usage = async () => (await h.call('GET', `/api/v1/organizations/${raceOrg.id}`, raceOwner)).body.usage.activeProviders;
    expect(await usage()).toBe(providers.length);
    await Promise.all(providers.map((providerId) => h.call('POST', `${path}/${current.get(providerId)}/end`, raceOwner, {})));
    expect(await usage()).toBe(0);
  });
});
