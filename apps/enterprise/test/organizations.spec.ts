import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, createClinic, createOrg, type Harness, startEnterprise, uid } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startEnterprise('ent_orgs');
});
afterAll(() => h?.close());

describe('organizations', () => {
  it('creates an organization whose creator becomes owner, with plan limits and usage', async () => {
    const owner = uid();
    const slug = `acme-${Date.now()}`;
    const created = await h.call('POST', '/api/v1/organizations', owner, { name: 'Acme Dental', slug, tier: 'basic' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ name: 'Acme Dental', slug, tier: 'basic', status: 'active', limits: { maxActiveClinics: 5 }, usage: { activeClinics: 0 } });
    const bindings = await h.call('GET', `/api/v1/organizations/${created.body.id}/bindings`, owner);
    expect(bindings.body.items).toEqual([expect.objectContaining({ userId: owner, role: 'org-owner', clinicId: null, effect: 'allow' })]);
    const mine = await h.call('GET', '/api/v1/organizations', owner);
    expect(mine.body.items.map((org: { id: string }) => org.id)).toEqual([created.body.id]);
  });

  it('refuses a duplicate slug with 409 SLUG_TAKEN', async () => {
    const slug = `dup-${Date.now()}`;
    expect((await h.call('POST', '/api/v1/organizations', uid(), { name: 'A', slug })).status).toBe(201);
    const second = await h.call('POST', '/api/v1/organizations', uid(), { name: 'B', slug });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('SLUG_TAKEN');
  });

  it('validates input with field errors', async () => {
    const reply = await h.call('POST', '/api/v1/organizations', uid(), { name: '', slug: 'Not A Slug', tier: 'gold' });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toMatch(/problem\+json/);
    expect(reply.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['name', 'slug', 'tier']);
  });

  it('creates exactly 5 of 20 parallel clinic creations at a limit of 5', async () => {
    const owner = uid();
    const org = await createOrg(h, owner, 'basic');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.call('POST', `/api/v1/organizations/${org.id}/clinics`, owner, { name: `C${i}`, code: `PAR-${i}`, timeZone: 'Europe/Paris', address }),
      ),
    );
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(5);
    const refused = replies.filter((reply) => reply.status !== 201);
    expect(refused).toHaveLength(15);
    for (const reply of refused) expect(reply.body).toMatchObject({ status: 403, code: 'PLAN_LIMIT_EXCEEDED', resource: 'clinics', limit: 5, current: 5 });
    const listed = await h.call('GET', `/api/v1/organizations/${org.id}/clinics?limit=100`, owner);
    expect(listed.body.items).toHaveLength(5);
    expect((await h.call('GET', `/api/v1/organizations/${org.id}`, owner)).body.usage.activeClinics).toBe(5);
  });

  it('blocks a downgrade below current usage with 409 listing the excess, and allows it once usage fits', async () => {
    const owner = uid();
    const org = await createOrg(h, owner, 'basic');
    const first = await createClinic(h, owner, org.id);
    await createClinic(h, owner, org.id);
    const blocked = await h.call('PATCH', `/api/v1/organizations/${org.id}`, owner, { tier: 'free' });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'PLAN_DOWNGRADE_BLOCKED', exceeded: [{ resource: 'clinics', limit: 1, current: 2 }] });
    expect((await h.call('POST', `/api/v1/organizations/${org.id}/clinics/${first.id}/archive`, owner)).status).toBe(200);
    const done = await h.call('PATCH', `/api/v1/organizations/${org.id}`, owner, { tier: 'free' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ tier: 'free', usage: { activeClinics: 1 }, limits: { maxActiveClinics: 1 } });
  });

  it('honours If-Match: a stale ETag is 412 and nothing changes', async () => {
    const owner = uid();
    const org = await createOrg(h, owner);
    const first = await h.call('PATCH', `/api/v1/organizations/${org.id}`, owner, { name: 'Renamed' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await h.call('PATCH', `/api/v1/organizations/${org.id}`, owner, { name: 'Lost update' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    expect((await h.call('GET', `/api/v1/organizations/${org.id}`, owner)).body.name).toBe('Renamed');
  });

  it('lets exactly one of ten concurrent writes with the same If-Match win', async () => {
    const owner = uid();
    const org = await createOrg(h, owner);
    const clinic = await createClinic(h, owner, org.id);
    const path = `/api/v1/organizations/${org.id}/clinics/${clinic.id}`;
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => h.call('PATCH', path, owner, { name: `Name ${i}` }, { 'if-match': '"1"' })));
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    expect(replies.filter((reply) => reply.status === 412)).toHaveLength(9);
    const winner = replies.find((reply) => reply.status === 200)!.body.name;
    expect((await h.call('GET', path, owner)).body).toMatchObject({ name: winner, version: 2 });
  });

  it('applies concurrent writes without If-Match one after another: each lands on its own version, none is lost', async () => {
    const owner = uid();
    const org = await createOrg(h, owner);
    const clinic = await createClinic(h, owner, org.id);
    const path = `/api/v1/organizations/${org.id}/clinics/${clinic.id}`;
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => h.call('PATCH', path, owner, { name: `Name ${i}` })));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(replies.map((reply) => reply.body.version).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    const stored = await h.call('GET', path, owner);
    expect(stored.body.version).toBe(7);
    expect(replies.find((reply) => reply.body.version === 7)!.body.name).toBe(stored.body.name);
    // The audit trail has each change with the state it replaced.
    const trail = await h.call('GET', `/api/v1/organizations/${org.id}/audit?resourceId=${clinic.id}&action=clinic.update&limit=10`, owner);
    expect(trail.body.items.map((entry: { before: { version: number } }) => entry.before.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the plan counter right when status changes without If-Match race', async () => {
    const owner = uid();
    const org = await createOrg(h, owner, 'basic');
    const clinic = await createClinic(h, owner, org.id);
    const path = `/api/v1/organizations/${org.id}/clinics/${clinic.id}`;
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => h.call('PATCH', path, owner, { status: i % 2 ? 'active' : 'inactive' })));
    // Status changes move a plan slot, so they are re-read and re-applied: each lands or, still contended, says so.
    for (const reply of replies) {
      if (reply.status !== 200) expect(reply.body).toMatchObject({ status: 503, code: 'RESOURCE_BUSY' });
    }
    expect(replies.some((reply) => reply.status === 200)).toBe(true);
    const stored = await h.call('GET', path, owner);
    const usage = (await h.call('GET', `/api/v1/organizations/${org.id}`, owner)).body.usage;
    expect(usage.activeClinics).toBe(stored.body.status === 'active' ? 1 : 0);
  });

  it('archives an organization and hides it from the default list', async () => {
    const owner = uid();
    const org = await createOrg(h, owner);
    const archived = await h.call('POST', `/api/v1/organizations/${org.id}/archive`, owner);
    expect(archived.body.status).toBe('archived');
    expect((await h.call('GET', '/api/v1/organizations', owner)).body.items).toHaveLength(0);
    expect((await h.call('GET', '/api/v1/organizations?status=archived', owner)).body.items).toHaveLength(1);
  });
});
