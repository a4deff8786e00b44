import { privateRedis, type PrivateServer, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrganizationRepository } from '../src/organizations/organization.repository.js';
import { RoleBindingRepository } from '../src/rbac/role-binding.repository.js';
import { createClinic, createOrg, grant, type Harness, startEnterprise, uid } from './support.js';
import type { Json } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let north: Json;
let south: Json;

beforeAll(async () => {
  h = await startEnterprise('ent_rbac');
  owner = uid();
  org = await createOrg(h, owner, 'professional');
  north = await createClinic(h, owner, org.id, { name: 'North' });
  south = await createClinic(h, owner, org.id, { name: 'South' });
});
afterAll(() => h?.close());

const base = () => `/api/v1/organizations/${org.id}`;

/**
 * Holds binding revokes until two are waiting (or a moment has passed), so two requests are surely
 * both past their checks before either writes.
 */
function holdRevokesUntilBothArrive(bindings: RoleBindingRepository): { mockRestore(): void } {
  const original = bindings.revoke.bind(bindings);
  const waiting: (() => void)[] = [];
  const releaseAll = () => waiting.splice(0).forEach((release) => release());
  return vi.spyOn(bindings, 'revoke').mockImplementation(async (...args) => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 2) releaseAll();
      else setTimeout(releaseAll, 500);
    });
    return original(...args);
  });
}

describe('scoped RBAC', () => {
  it('limits a clinic-scoped manager to its clinic, lists included', async () => {
    const manager = uid('m');
    await grant(h, owner, org.id, { userId: manager, role: 'clinic-manager', clinicId: north.id });
    expect((await h.call('GET', `${base()}/clinics/${north.id}`, manager)).status).toBe(200);
    const other = await h.call('GET', `${base()}/clinics/${south.id}`, manager);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'clinic:read' });
    const list = await h.call('GET', `${base()}/clinics`, manager);
    expect(list.body.items.map((clinic: { id: string }) => clinic.id)).toEqual([north.id]);
    expect((await h.call('PATCH', `${base()}/clinics/${north.id}`, manager, { name: 'North HQ' })).status).toBe(200);
    expect((await h.call('POST', `${base()}/clinics`, manager, {})).status).toBe(403);
  });

  it('lets org-scoped grants reach every clinic and an explicit deny win over any allow', async () => {
    const admin = uid('a');
    await grant(h, owner, org.id, { userId: admin, role: 'org-admin' });
    await grant(h, owner, org.id, { userId: admin, role: 'receptionist', clinicId: south.id, effect: 'deny' });
    expect((await h.call('GET', `${base()}/clinics/${north.id}`, admin)).status).toBe(200);
    expect((await h.call('GET', `${base()}/clinics/${south.id}`, admin)).status).toBe(403);
    const list = await h.call('GET', `${base()}/clinics`, admin);
    expect(list.body.items.map((clinic: { id: string }) => clinic.id)).toEqual([north.id]);
    const decision = await h.call('POST', `${base()}/authorize`, owner, { userId: admin, action: 'clinic:read', clinicId: south.id });
    expect(decision.body).toMatchObject({ decision: 'deny', reason: 'explicit-deny', bindings: [expect.objectContaining({ role: 'receptionist', effect: 'deny' })] });
    const allowed = await h.call('POST', `${base()}/authorize`, owner, { userId: admin, action: 'clinic:update', clinicId: north.id });
    expect(allowed.body).toMatchObject({ decision: 'allow', reason: 'granted', bindings: [expect.objectContaining({ role: 'org-admin', clinicId: null })] });
    const effective = await h.call('GET', `${base()}/members/${admin}/permissions`, owner);
    expect(effective.body.organization).toContain('clinic:create');
    expect(effective.body.clinics[south.id]).not.toContain('clinic:read');
  });

  it('supports custom roles on plans that include them', async () => {
    const role = await h.call('POST', `${base()}/roles`, owner, { key: 'scheduler', name: 'Scheduler', permissions: ['clinic:read', 'assignment:read', 'assignment:create'] });
    expect(role.status).toBe(201);
    const scheduler = uid('s');
    await grant(h, owner, org.id, { userId: scheduler, role: 'scheduler', clinicId: south.id });
    const decision = await h.call('POST', `${base()}/authorize`, owner, { userId: scheduler, action: 'assignment:create', clinicId: south.id });
    expect(decision.body.decision).toBe('allow');
    expect((await h.call('DELETE', `${base()}/roles/${role.body.id}`, owner)).body.code).toBe('ROLE_IN_USE');
    const unknown = await h.call('POST', `${base()}/bindings`, owner, { userId: scheduler, role: 'no-such-role' });
    expect(unknown.status).toBe(422);
  });

  it('refuses custom roles on plans without the feature', async () => {
    const freeOwner = uid();
    const small = await createOrg(h, freeOwner, 'free');
    const reply = await h.call('POST', `/api/v1/organizations/${small.id}/roles`, freeOwner, { key: 'x-role', name: 'X', permissions: ['org:read'] });
    expect(reply.body).toMatchObject({ status: 403, code: 'FEATURE_NOT_IN_PLAN', feature: 'customRoles' });
  });

  it('applies a revoke on the very next request', async () => {
    const auditor = uid('au');
    const binding = await grant(h, owner, org.id, { userId: auditor, role: 'auditor' });
    expect((await h.call('GET', `${base()}/audit`, auditor)).status).toBe(200);
    expect((await h.call('DELETE', `${base()}/bindings/${binding.id}`, owner)).body.status).toBe('revoked');
    expect((await h.call('GET', `${base()}/audit`, auditor)).status).toBe(404);
    const history = await h.call('GET', `${base()}/bindings?status=revoked&userId=${auditor}`, owner);
    expect(history.body.items).toHaveLength(1);
  });

  it('keeps the last owner', async () => {
    const bindings = await h.call('GET', `${base()}/bindings?role=org-owner`, owner);
    const reply = await h.call('DELETE', `${base()}/bindings/${bindings.body.items[0].id}`, owner);
    expect(reply.body.code).toBe('LAST_OWNER');
  });

  it('makes a revoke whose policy version bump failed effective on the retry', async () => {
    const dentist = uid('d');
    const binding = await grant(h, owner, org.id, { userId: dentist, role: 'dentist' });
    expect((await h.call('GET', `${base()}/clinics/${north.id}`, dentist)).status).toBe(200);
    const bump = vi.spyOn(h.app.app.get(OrganizationRepository), 'bumpPolicyVersion').mockRejectedValueOnce(new Error('primary stepped down'));
    try {
      expect((await h.call('DELETE', `${base()}/bindings/${binding.id}`, owner)).status).toBe(500);
    } finally {
      bump.mockRestore();
    }
    const retry = await h.call('DELETE', `${base()}/bindings/${binding.id}`, owner);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: binding.id, status: 'revoked' });
    expect((await h.call('GET', `${base()}/clinics/${north.id}`, dentist)).status).toBe(404);
  });

  it.each([1, 2, 3])('keeps an owner when two owners revoke each other at the same time (round %i)', async () => {
    const [first, second] = [uid('o'), uid('o')];
    const own = await createOrg(h, first);
    const bindings = `/api/v1/organizations/${own.id}/bindings`;
    const secondBinding = await grant(h, first, own.id, { userId: second, role: 'org-owner' });
    const firstBinding = (await h.call('GET', `${bindings}?role=org-owner&userId=${first}`, first)).body.items[0];
    const revoke = holdRevokesUntilBothArrive(h.app.app.get(RoleBindingRepository));
    const replies = await Promise.all([h.call('DELETE', `${bindings}/${secondBinding.id}`, first), h.call('DELETE', `${bindings}/${firstBinding.id}`, second)]).finally(() =>
      revoke.mockRestore(),
    );
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    const survivor = replies[0]!.status === 200 ? first : second;
    const owners = await h.call('GET', `${bindings}?role=org-owner`, survivor);
    expect(owners.body.items).toEqual([expect.objectContaining({ userId: survivor, effect: 'allow' })]);
  });

  it('counts an org-wide deny of the owner role as losing an owner', async () => {
    const [first, second] = [uid('o'), uid('o')];
    const own = await createOrg(h, first);
    const bindings = `/api/v1/organizations/${own.id}/bindings`;
    const selfDeny = await h.call('POST', bindings, first, { userId: first, role: 'org-owner', effect: 'deny' });
    expect(selfDeny.body).toMatchObject({ status: 409, code: 'LAST_OWNER' });
    const firstBinding = (await h.call('GET', `${bindings}?role=org-owner&userId=${first}`, first)).body.items[0];
    await grant(h, first, own.id, { userId: second, role: 'org-owner' });
    const deny = await grant(h, first, own.id, { userId: second, role: 'org-owner', effect: 'deny' });
    expect((await h.call('DELETE', `${bindings}/${firstBinding.id}`, first)).body.code).toBe('LAST_OWNER');
    expect((await h.call('DELETE', `${bindings}/${deny.id}`, first)).status).toBe(200);
    expect((await h.call('DELETE', `${bindings}/${firstBinding.id}`, first)).status).toBe(200);
    expect((await h.call('GET', `${bindings}?role=org-owner`, second)).body.items).toEqual([expect.objectContaining({ userId: second, effect: 'allow' })]);
  });

  it('records every change in the audit trail with actor, before/after and request id', async () => {
    const requestId = `audit-${Date.now()}`;
    await h.call('PATCH', `${base()}/clinics/${south.id}`, owner, { name: 'South Bay' }, { 'x-request-id': requestId });
    const trail = await h.call('GET', `${base()}/audit?resourceId=${south.id}&action=clinic.update`, owner);
    expect(trail.body.items[0]).toMatchObject({ actorId: owner, requestId, before: expect.objectContaining({ name: 'South' }), after: expect.objectContaining({ name: 'South Bay' }) });
    const all = await h.call('GET', `${base()}/audit?limit=2`, owner);
    expect(all.body.items).toHaveLength(2);
    const next = await h.call('GET', `${base()}/audit?limit=2&cursor=${all.body.nextCursor}`, owner);
    expect(next.body.items[0].id).not.toBe(all.body.items[1].id);
    expect(new Date(next.body.items[0].at).getTime()).toBeLessThanOrEqual(new Date(all.body.items[1].at).getTime());
  });
});

describe('caches across replicas', () => {
  let second: Harness;
  beforeAll(async () => {
    second = await startEnterprise('ent_rbac_b', {}, { issuer: h.issuer, env: h.env });
  });
  afterAll(() => second?.close());

  it('denies on replica B the request right after a revoke on replica A', async () => {
    const dentist = uid('d');
    const binding = await grant(h, owner, org.id, { userId: dentist, role: 'dentist' });
    // Warm both replicas' caches.
    expect((await h.call('GET', `${base()}/clinics/${north.id}`, dentist)).status).toBe(200);
    expect((await second.call('GET', `${base()}/clinics/${north.id}`, dentist)).status).toBe(200);
    await h.call('DELETE', `${base()}/bindings/${binding.id}`, owner);
    expect((await second.call('GET', `${base()}/clinics/${north.id}`, dentist)).status).toBe(404);
  });

  it('serves on replica B the clinic as changed on replica A, and the organization settings it inherits', async () => {
    const path = `${base()}/clinics/${south.id}`;
    const before = await second.call('GET', path, owner);
    expect((await second.call('GET', path, owner)).body).toEqual(before.body);
    const renamed = await h.call('PATCH', path, owner, { name: `South ${Date.now()}` });
    expect(renamed.status).toBe(200);
    const seen = await second.call('GET', path, owner);
    expect(seen.body).toMatchObject({ name: renamed.body.name, version: renamed.body.version });
    expect(seen.headers.get('etag')).toBe(`"${renamed.body.version}"`);
    const currency = before.body.effectiveSettings.currency.value === 'JPY' ? 'CHF' : 'JPY';
    expect((await h.call('PATCH', base(), owner, { settings: { currency } })).status).toBe(200);
    expect((await second.call('GET', path, owner)).body.effectiveSettings.currency).toEqual({ value: currency, source: 'organization' });
  });
});

describe('with Redis down', () => {
  let redis: PrivateServer;
  let isolated: Harness;
  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    isolated = await startEnterprise('ent_rbac_nr', { REDIS_URL: redis.url, MONGODB_URI: testDatabaseUri('ent_rbac_nr'), REDIS_KEY_PREFIX: testKeyPrefix('nr') });
  });
  afterAll(async () => {
    await isolated?.close();
    await redis?.dispose();
  });

  it('still decides correctly, just uncached', async () => {
    const boss = uid();
    const own = await createOrg(isolated, boss);
    const clinic = await createClinic(isolated, boss, own.id);
    const dentist = uid('d');
    const binding = await grant(isolated, boss, own.id, { userId: dentist, role: 'dentist' });
    expect((await isolated.call('GET', `/api/v1/organizations/${own.id}/clinics/${clinic.id}`, dentist)).status).toBe(200);
    await redis.stop();
    expect((await isolated.call('GET', `/api/v1/organizations/${own.id}/clinics/${clinic.id}`, dentist)).status).toBe(200);
    await isolated.call('DELETE', `/api/v1/organizations/${own.id}/bindings/${binding.id}`, boss);
    expect((await isolated.call('GET', `/api/v1/organizations/${own.id}/clinics/${clinic.id}`, dentist)).status).toBe(404);
    expect((await isolated.call('GET', `/api/v1/organizations/${own.id}/clinics/${clinic.id}`, boss)).status).toBe(200);
  });
});
