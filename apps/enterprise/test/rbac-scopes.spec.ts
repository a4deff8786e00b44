import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CustomRoleRepository } from '../src/rbac/custom-role.repository.js';
import { RoleBindingRepository } from '../src/rbac/role-binding.repository.js';
import { createClinic, createOrg, grant, type Harness, startEnterprise, uid } from './support.js';
import type { Json } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let north: Json;
let south: Json;
let northAssignment: Json;
let southAssignment: Json;
/** Another tenant's ids, all existing, none of `org`. */
let theirs: { orgId: string; clinicId: string; assignmentId: string; roleId: string; bindingId: string };

const base = () => `/api/v1/organizations/${org.id}`;

async function createAssignment(owner: string, orgId: string, clinicId: string): Promise<Json> {
  const reply = await h.call('POST', `/api/v1/organizations/${orgId}/assignments`, owner, {
    providerId: uid('p'),
    clinicId,
    role: 'dentist',
    from: '2026-01-05',
    slots: [{ day: 1, start: '09:00', end: '12:00' }],
  });
  if (reply.status !== 201) throw new Error(`assignment not created: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function createRole(owner: string, orgId: string, key: string, permissions: string[]): Promise<Json> {
  const reply = await h.call('POST', `/api/v1/organizations/${orgId}/roles`, owner, { key, name: key, permissions });
  if (reply.status !== 201) throw new Error(`role not created: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

beforeAll(async () => {
  h = await startEnterprise('ent_rbac_scopes');
  owner = uid();
  org = await createOrg(h, owner, 'professional');
  north = await createClinic(h, owner, org.id, { name: 'North' });
  south = await createClinic(h, owner, org.id, { name: 'South' });
  northAssignment = await createAssignment(owner, org.id, north.id);
  southAssignment = await createAssignment(owner, org.id, south.id);

  const otherOwner = uid('other');
  const other = await createOrg(h, otherOwner, 'professional');
  const otherClinic = await createClinic(h, otherOwner, other.id);
  const otherAssignment = await createAssignment(otherOwner, other.id, otherClinic.id);
  const otherRole = await createRole(otherOwner, other.id, 'their-role', ['org:read']);
  const otherBinding = await grant(h, otherOwner, other.id, { userId: uid('x'), role: 'dentist', clinicId: otherClinic.id });
  theirs = { orgId: other.id, clinicId: otherClinic.id, assignmentId: otherAssignment.id, roleId: otherRole.id, bindingId: otherBinding.id };
});
afterAll(() => h?.close());

describe('ids a member may not act on', () => {
  let viewer: string;
  let ownRole: Json;
  let ownBinding: Json;

  beforeAll(async () => {
    await createRole(owner, org.id, 'org-viewer', ['org:read']);
    viewer = uid('v');
    ownBinding = await grant(h, owner, org.id, { userId: viewer, role: 'org-viewer' });
    ownRole = await createRole(owner, org.id, 'unused-role', ['org:read']);
  });

  const endBody = {};
  const slotsBody = { slots: [{ day: 2, start: '09:00', end: '10:00' }] };

  it.each([
    ['GET', 'one assignment', (id: string) => `/assignments/${id}`, undefined],
    ['PATCH', 'an assignment change', (id: string) => `/assignments/${id}`, slotsBody],
    ['POST', 'an assignment end', (id: string) => `/assignments/${id}/end`, endBody],
  ])('answers %s on %s 404 for another tenant’s or an unknown id, 403 for its own organization’s', async (method, _label, path, body) => {
    const foreign = await h.call(method, `${base()}${path(theirs.assignmentId)}`, viewer, body);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ASSIGNMENT_NOT_FOUND');
    expect((await h.call(method, `${base()}${path(randomUUID())}`, viewer, body)).status).toBe(404);
    const own = await h.call(method, `${base()}${path(northAssignment.id)}`, viewer, body);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('PERMISSION_DENIED');
  });

  it('answers an assignment creation at another tenant’s clinic 404, at its own 403', async () => {
    const body = (clinicId: string) => ({ providerId: uid('p'), clinicId, role: 'dentist', from: '2026-01-05', slots: [{ day: 1, start: '09:00', end: '10:00' }] });
    const foreign = await h.call('POST', `${base()}/assignments`, viewer, body(theirs.clinicId));
    expect(foreign.body).toMatchObject({ status: 404, code: 'CLINIC_NOT_FOUND' });
    expect((await h.call('POST', `${base()}/assignments`, viewer, body(north.id))).status).toBe(403);
    expect((await h.call('GET', `${base()}/assignments`, viewer)).status).toBe(403);
  });

  it('rejects an operator in place of a body clinic id with 400, without looking it up', async () => {
    const reply = await h.call('POST', `${base()}/assignments`, viewer, { clinicId: { $gt: '' } });
    expect(reply.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers ids of roles, bindings and clinics of another tenant 404 on organization-scoped routes too', async () => {
    expect((await h.call('DELETE', `${base()}/roles/${theirs.roleId}`, viewer)).status).toBe(404);
    expect((await h.call('DELETE', `${base()}/roles/${ownRole.id}`, viewer)).status).toBe(403);
    expect((await h.call('DELETE', `${base()}/bindings/${theirs.bindingId}`, viewer)).status).toBe(404);
    expect((await h.call('DELETE', `${base()}/bindings/${ownBinding.id}`, viewer)).status).toBe(403);
    expect((await h.call('POST', `${base()}/bindings`, viewer, { userId: viewer, role: 'dentist', clinicId: theirs.clinicId })).status).toBe(404);
    expect((await h.call('POST', `${base()}/bindings`, viewer, { userId: viewer, role: 'dentist', clinicId: north.id })).status).toBe(403);
  });

  it('still lets a member allowed at one clinic reach another clinic’s assignment only as 403', async () => {
    const manager = uid('m');
    await grant(h, owner, org.id, { userId: manager, role: 'clinic-manager', clinicId: north.id });
    expect((await h.call('GET', `${base()}/assignments/${northAssignment.id}`, manager)).status).toBe(200);
    expect((await h.call('GET', `${base()}/assignments/${southAssignment.id}`, manager)).status).toBe(403);
    expect((await h.call('GET', `${base()}/assignments/${theirs.assignmentId}`, manager)).status).toBe(404);
  });
});

describe('lists and questions with clinic-scoped permissions', () => {
  let manager: string;
  let auditor: string;
  let northDentist: string;
  let southDentist: string;

  beforeAll(async () => {
    manager = uid('m');
    auditor = uid('au');
    northDentist = uid('d');
    southDentist = uid('d');
    await grant(h, owner, org.id, { userId: manager, role: 'clinic-manager', clinicId: north.id });
    await grant(h, owner, org.id, { userId: auditor, role: 'auditor' });
    await grant(h, owner, org.id, { userId: northDentist, role: 'dentist', clinicId: north.id });
    await grant(h, owner, org.id, { userId: southDentist, role: 'dentist', clinicId: south.id });
    await h.call('PATCH', `${base()}/clinics/${north.id}`, owner, { name: 'North 2' });
    await h.call('PATCH', `${base()}/clinics/${south.id}`, owner, { name: 'South 2' });
    await h.call('PATCH', base(), owner, { settings: { currency: 'EUR' } });
  });

  it('shows a clinic manager the audit entries of its clinic only, none of another clinic or the organization level', async () => {
    const trail = await h.call('GET', `${base()}/audit?limit=100`, manager);
    expect(trail.status).toBe(200);
    const entries = trail.body.items as { clinicId: string | null; action: string; resourceId: string }[];
    expect(entries.every((entry) => entry.clinicId === north.id)).toBe(true);
    expect(new Set(entries.map((entry) => entry.action))).toEqual(new Set(['clinic.create', 'clinic.update', 'assignment.create', 'binding.grant']));
    expect(entries.map((entry) => entry.resourceId)).toContain(northAssignment.id);
    const southOnly = await h.call('GET', `${base()}/audit?clinicId=${south.id}`, manager);
    expect(southOnly.body.items).toEqual([]);
  });

  it('shows an org-wide auditor every entry, organization level included', async () => {
    const trail = await h.call('GET', `${base()}/audit?limit=100`, auditor);
    const clinics = new Set((trail.body.items as { clinicId: string | null }[]).map((entry) => entry.clinicId));
    expect(clinics).toEqual(new Set([north.id, south.id, null]));
    const southOnly = await h.call('GET', `${base()}/audit?clinicId=${south.id}&limit=100`, auditor);
    expect(southOnly.body.items.length).toBeGreaterThan(0);
    expect(southOnly.body.items.every((entry: { clinicId: string }) => entry.clinicId === south.id)).toBe(true);
  });

  it('refuses the audit trail to a member who may read it nowhere', async () => {
    expect((await h.call('GET', `${base()}/audit`, northDentist)).status).toBe(403);
  });

  it('shows a clinic manager the bindings on its clinic only, and an auditor all of them', async () => {
    const mine = await h.call('GET', `${base()}/bindings?limit=100`, manager);
    expect(mine.status).toBe(200);
    const seen = mine.body.items as { userId: string; clinicId: string | null }[];
    expect(seen.every((binding) => binding.clinicId === north.id)).toBe(true);
    expect(seen.map((binding) => binding.userId)).toEqual(expect.arrayContaining([manager, northDentist]));
    const all = await h.call('GET', `${base()}/bindings?limit=100`, auditor);
    const users = (all.body.items as { userId: string }[]).map((binding) => binding.userId);
    expect(users).toEqual(expect.arrayContaining([owner, auditor, manager, northDentist, southDentist]));
  });

  it('shows a clinic manager the permissions of members at its clinic only', async () => {
    const atNorth = await h.call('GET', `${base()}/members/${northDentist}/permissions`, manager);
    expect(atNorth.status).toBe(200);
    expect(atNorth.body.organization).toEqual([]);
    expect(Object.keys(atNorth.body.clinics)).toEqual([north.id]);
    expect(atNorth.body.clinics[north.id]).toContain('clinic:read');
    const orgWide = await h.call('GET', `${base()}/members/${owner}/permissions`, manager);
    expect(orgWide.body).toMatchObject({ organization: [], bindings: [] });
    expect(orgWide.body.clinics[north.id]).toContain('clinic:update');
    expect((await h.call('GET', `${base()}/members/${southDentist}/permissions`, manager)).status).toBe(404);
    const byAuditor = await h.call('GET', `${base()}/members/${southDentist}/permissions`, auditor);
    expect(Object.keys(byAuditor.body.clinics)).toEqual([south.id]);
  });

  it('answers a clinic manager’s authorization questions for its clinic only', async () => {
    const ask = (clinicId?: string) => h.call('POST', `${base()}/authorize`, manager, { userId: northDentist, action: 'clinic:read', ...(clinicId ? { clinicId } : {}) });
    expect((await ask(north.id)).body).toMatchObject({ decision: 'allow' });
    expect((await ask(south.id)).status).toBe(403);
    expect((await ask()).status).toBe(403);
    expect((await ask(theirs.clinicId)).status).toBe(404);
  });
});

/**
 * Holds a grant's role check until the deletion has checked that nobody holds the role, and that
 * check's answer until the grant has written its binding: the interleaving where checking then
 * deleting let a grant through.
 */
function interleaveGrantWithDeletion(roles: CustomRoleRepository, bindings: RoleBindingRepository): { restore(): void } {
  const signal = () => {
    let fire!: () => void;
    const fired = new Promise<void>((resolve) => (fire = resolve));
    return { fire, fired: Promise.race([fired, new Promise<void>((resolve) => setTimeout(resolve, 2_000))]) };
  };
  const checked = signal();
  const inserted = signal();
  const findGrantable = roles.findGrantableByKeys.bind(roles);
  const isRoleBound = bindings.isRoleBound.bind(bindings);
  const insert = bindings.insert.bind(bindings);
  const spies = [
    vi.spyOn(roles, 'findGrantableByKeys').mockImplementationOnce(async (...args) => {
      const found = await findGrantable(...args);
      await checked.fired;
      return found;
    }),
    vi.spyOn(bindings, 'isRoleBound').mockImplementationOnce(async (...args) => {
      const bound = await isRoleBound(...args);
      checked.fire();
      await inserted.fired;
      return bound;
    }),
    vi.spyOn(bindings, 'insert').mockImplementationOnce(async (...args) => {
      const created = await insert(...args);
      inserted.fire();
      return created;
    }),
  ];
  return { restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('deleting a custom role', () => {
  it('lets no grant racing the deletion survive it, so a later role with the same key gives nobody anything', async () => {
    const key = 'short-lived';
    const role = await createRole(owner, org.id, key, ['clinic:read']);
    const member = uid('g');
    const race = interleaveGrantWithDeletion(h.app.app.get(CustomRoleRepository), h.app.app.get(RoleBindingRepository));
    const granting = h.call('POST', `${base()}/bindings`, owner, { userId: member, role: key });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [granted, deleted] = await Promise.all([granting, h.call('DELETE', `${base()}/roles/${role.id}`, owner)]).finally(() => race.restore());
    expect(deleted.status).toBe(204);
    expect(granted.body).toMatchObject({ status: 422, code: 'ROLE_NOT_FOUND' });
    expect((await h.call('GET', `${base()}/bindings?role=${key}`, owner)).body.items).toEqual([]);

    await createRole(owner, org.id, key, ['clinic:read', 'clinic:update']);
    const decision = await h.call('POST', `${base()}/authorize`, owner, { userId: member, action: 'clinic:update', clinicId: north.id });
    expect(decision.body).toMatchObject({ decision: 'deny', reason: 'no-grant' });
  });

  it.each([1, 2, 3, 4, 5])('never leaves a binding to a deleted role when grant and deletion run together (round %i)', async (round) => {
    const key = `racing-${round}`;
    const role = await createRole(owner, org.id, key, ['clinic:read']);
    const [granted, deleted] = await Promise.all([h.call('POST', `${base()}/bindings`, owner, { userId: uid('g'), role: key }), h.call('DELETE', `${base()}/roles/${role.id}`, owner)]);
    const active = (await h.call('GET', `${base()}/bindings?role=${key}`, owner)).body.items;
    const roleLeft = (await h.call('GET', `${base()}/roles/${role.id}`, owner)).status === 200;
    if (deleted.status === 204) {
      expect(roleLeft).toBe(false);
      expect(active).toEqual([]);
      expect(granted.status).toBe(422);
    } else {
      expect(deleted.body.code).toBe('ROLE_IN_USE');
      expect(roleLeft).toBe(true);
    }
  });

  it('refuses to grant a role whose deletion has started', async () => {
    const role = await createRole(owner, org.id, 'being-deleted', ['org:read']);
    await h.app.app.get(CustomRoleRepository).markDeleting(org.id, role.id, randomUUID());
    const reply = await h.call('POST', `${base()}/bindings`, owner, { userId: uid('g'), role: 'being-deleted' });
    expect(reply.body).toMatchObject({ status: 422, code: 'ROLE_NOT_FOUND' });
    expect((await h.call('DELETE', `${base()}/roles/${role.id}`, owner)).status).toBe(204);
  });
});
