import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startWithParisClinics, uid } from './support.js';
import type { Json, Reply } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let paris: Json;
let parisToo: Json;

beforeAll(async () => {
  ({ h, owner, org, paris, parisToo } = await startWithParisClinics('ent_assign_races', ['hygienist']));
});
afterAll(() => h?.close());

const base = () => `/api/v1/organizations/${org.id}/assignments`;
const monday = (start: string, end: string) => [{ day: 1, start, end }];
const START = '2026-01-05';

async function assignWorking(provider: string): Promise<Json> {
  const reply = await h.call('POST', base(), owner, { providerId: provider, clinicId: paris.id, role: 'dentist', from: START, slots: monday('09:00', '10:00') });
  expect(reply.status).toBe(201);
  return reply.body;
}

const endIt = (id: string, endDate: string, headers?: Record<string, string>) => h.call('POST', `${base()}/${id}/end`, owner, { endDate }, headers);
const widen = (id: string, headers?: Record<string, string>) => h.call('PATCH', `${base()}/${id}`, owner, { slots: monday('09:00', '11:00') }, headers);

const activeProviders = async () => (await h.call('GET', `/api/v1/organizations/${org.id}`, owner)).body.usage.activeProviders as number;

/**
 * GET agrees with itself (ETag = version) and with the schedule: a slot overlapping both the old
 * and the widened hours is free exactly when the assignment is ended (on its first day, so it
 * keeps no dates).
 */
async function expectConsistent(id: string, provider: string): Promise<Json> {
  const stored = await h.call('GET', `${base()}/${id}`, owner);
  expect(stored.status).toBe(200);
  expect(stored.headers.get('etag')).toBe(`"${stored.body.version}"`);
  const probe = await h.call('POST', base(), owner, { providerId: provider, clinicId: parisToo.id, role: 'hygienist', from: START, slots: monday('09:00', '11:00') });
  if (stored.body.status === 'ended') {
    expect(stored.body).toMatchObject({ to: START, endedAt: expect.any(String), primaryPeriods: [] });
    expect(probe.status, JSON.stringify(probe.body)).toBe(201);
  } else {
    expect(stored.body).toMatchObject({ status: 'active', to: null, primary: true });
    expect(probe.status).toBe(409);
    expect(probe.body.code).toBe('ASSIGNMENT_CONFLICT');
  }
  return stored.body;
}

function expectEndedConflict(reply: Reply): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(409);
  expect(reply.body.code).toBe('ASSIGNMENT_ENDED');
}

describe('concurrent end and update of one assignment', () => {
  it.each([1, 2, 3, 4, 5])('end racing an update always ends it, and the schedule agrees (round %i)', async () => {
    const provider = uid('p');
    const a = await assignWorking(provider);
    const [ended, updated] = await Promise.all([endIt(a.id, START), widen(a.id)]);
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    if (updated.status !== 200) expectEndedConflict(updated);
    const stored = await expectConsistent(a.id, provider);
    expect(stored.status).toBe('ended');
  });

  it.each([1, 2, 3, 4, 5])('two ends on the same date both succeed and uncount the provider once (round %i)', async () => {
    const provider = uid('p');
    const a = await assignWorking(provider);
    const before = await activeProviders();
    const replies = await Promise.all([endIt(a.id, START), endIt(a.id, START)]);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    expect(replies.map((reply) => [reply.body.status, reply.body.to])).toEqual([
      ['ended', START],
      ['ended', START],
    ]);
    expect(await activeProviders()).toBe(before - 1);
    await expectConsistent(a.id, provider);
  });

  it.each([1, 2, 3])('two ends on different dates: one wins, the other is 409 ASSIGNMENT_ENDED (round %i)', async () => {
    const provider = uid('p');
    const a = await assignWorking(provider);
    const replies = await Promise.all([endIt(a.id, START), endIt(a.id, '2026-02-02')]);
    const winner = replies.find((reply) => reply.status === 200);
    expect(winner, JSON.stringify(replies.map((reply) => reply.body))).toBeDefined();
    expectEndedConflict(replies.find((reply) => reply !== winner)!);
    const stored = (await h.call('GET', `${base()}/${a.id}`, owner)).body;
    expect(stored).toMatchObject({ status: 'ended', to: winner!.body.to });
  });

  it.each([1, 2, 3, 4, 5])('with the same If-Match only one of end and update applies, and the schedule follows it (round %i)', async () => {
    const provider = uid('p');
    const a = await assignWorking(provider);
    const [ended, updated] = await Promise.all([endIt(a.id, START, { 'if-match': '"1"' }), widen(a.id, { 'if-match': '"1"' })]);
    const stored = await expectConsistent(a.id, provider);
    if (stored.status === 'ended') {
      expect(ended.status).toBe(200);
      if (updated.status !== 412) expectEndedConflict(updated);
    } else {
      expect([ended.status, updated.status]).toEqual([412, 200]);
      expect(stored.slots).toEqual(monday('09:00', '11:00'));
    }
  });

  it('ends an assignment again on its end date as a no-op, and refuses another date', async () => {
    const provider = uid('p');
    const a = await assignWorking(provider);
    const first = await endIt(a.id, '2026-03-02');
    expect(first.status).toBe(200);
    const again = await endIt(a.id, '2026-03-02');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expectEndedConflict(await endIt(a.id, '2026-04-06'));
    expectEndedConflict(await widen(a.id));
  });
});
