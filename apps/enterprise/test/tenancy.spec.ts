import { waitFor } from '@dentalos/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { address, createClinic, createOrg, grant, type Harness, startEnterprise, uid } from './support.js';
import type { Json } from './http-client.js';

let h: Harness;
let owner: string;
let org: Json;
let clinic: Json;
let ids: Record<string, string>;

beforeAll(async () => {
  h = await startEnterprise('ent_tenancy');
  owner = uid();
  org = await createOrg(h, owner, 'professional');
  await h.call('PATCH', `/api/v1/organizations/${org.id}`, owner, { settings: { currency: 'EUR', appointmentDurationMinutes: 40 } });
  clinic = await createClinic(h, owner, org.id, { settings: { appointmentDurationMinutes: 45 } });
  const assignment = await h.call('POST', `/api/v1/organizations/${org.id}/assignments`, owner, {
    providerId: uid('p'),
    clinicId: clinic.id,
    role: 'dentist',
    from: '2026-01-05',
    slots: [{ day: 1, start: '09:00', end: '12:00' }],
  });
  const role = await h.call('POST', `/api/v1/organizations/${org.id}/roles`, owner, { key: 'lead', name: 'Lead', permissions: ['org:read'] });
  const binding = await grant(h, owner, org.id, { userId: uid('x'), role: 'dentist' });
  ids = { orgId: org.id, clinicId: clinic.id, assignmentId: assignment.body.id, roleId: role.body.id, bindingId: binding.id, userId: owner };
});
afterAll(() => h?.close());

describe('tenant isolation', () => {
  it('answers 404 with no data on every organization-scoped endpoint for a caller from another organization', async () => {
    const stranger = uid('other');
    await createOrg(h, stranger);
    const spec = (await (await fetch(`${h.app.url}/api-docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const scoped = Object.entries(spec.paths).filter(([path]) => path.includes('{orgId}'));
    expect(scoped.length).toBeGreaterThanOrEqual(10);
    let checked = 0;
    for (const [template, operations] of scoped) {
      const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => ids[name]!);
      for (const method of Object.keys(operations)) {
        const reply = await h.call(method.toUpperCase(), path, stranger, ['post', 'patch', 'put'].includes(method) ? {} : undefined);
        expect(reply.status, `${method} ${template}`).toBe(404);
        expect(Object.keys(reply.body).sort(), `${method} ${template}`).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
        // `instance` echoes the caller's own URL; nothing else may mention the other tenant's data.
        const { instance: _instance, ...rest } = reply.body;
        expect(JSON.stringify(rest)).not.toContain(clinic.id);
        expect(JSON.stringify(rest)).not.toContain(clinic.code);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('treats ids of another organization inside one’s own organization as not found', async () => {
    const stranger = uid('other');
    const theirs = await createOrg(h, stranger);
    const reply = await h.call('GET', `/api/v1/organizations/${theirs.id}/clinics/${clinic.id}`, stranger);
    expect(reply.status).toBe(404);
    const viaBody = await h.call('POST', `/api/v1/organizations/${theirs.id}/assignments`, stranger, {
      providerId: 'p1',
      clinicId: clinic.id,
      role: 'dentist',
      from: '2026-01-05',
      slots: [{ day: 1, start: '09:00', end: '10:00' }],
    });
    expect(viaBody.status).toBe(404);
  });

  it('answers 404 when asked to authorize against a clinic of another organization, even for an org-wide grant', async () => {
    const stranger = uid('other');
    const theirs = await createOrg(h, stranger);
    const reply = await h.call('POST', `/api/v1/organizations/${theirs.id}/authorize`, stranger, { userId: stranger, action: 'clinic:read', clinicId: clinic.id });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toHaveProperty('decision');
    const own = await createClinic(h, stranger, theirs.id);
    const allowed = await h.call('POST', `/api/v1/organizations/${theirs.id}/authorize`, stranger, { userId: stranger, action: 'clinic:read', clinicId: own.id });
    expect(allowed.body).toMatchObject({ decision: 'allow', reason: 'granted' });
  });

  it('requires a token', async () => {
    const reply = await h.call('GET', `/api/v1/organizations/${org.id}`, null);
    expect(reply.status).toBe(401);
  });
});

describe('clinics', () => {
  it('shows each effective setting with its source', async () => {
    const reply = await h.call('GET', `/api/v1/organizations/${org.id}/clinics/${clinic.id}`, owner);
    expect(reply.body.effectiveSettings).toMatchObject({
      appointmentDurationMinutes: { value: 45, source: 'clinic' },
      currency: { value: 'EUR', source: 'organization' },
      locale: { value: 'en-US', source: 'default' },
    });
    expect(reply.headers.get('etag')).toBe(`"${reply.body.version}"`);
  });

  it('validates IANA time zones and keeps codes unique within the organization', async () => {
    const bad = await h.call('POST', `/api/v1/organizations/${org.id}/clinics`, owner, { name: 'X', code: 'BAD-TZ', timeZone: 'Mars/Olympus', address });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'timeZone', constraint: 'isTimeZone' });
    const duplicate = await h.call('POST', `/api/v1/organizations/${org.id}/clinics`, owner, { name: 'Y', code: clinic.code, timeZone: 'Europe/Paris', address });
    expect(duplicate.body).toMatchObject({ status: 409, code: 'CLINIC_CODE_TAKEN' });
    const usage = (await h.call('GET', `/api/v1/organizations/${org.id}`, owner)).body.usage;
    expect(usage.activeClinics).toBe(1);
  });

  it('paginates, filters and sorts with an opaque cursor', async () => {
    for (const name of ['Alpha', 'Bravo', 'Charlie']) await createClinic(h, owner, org.id, { name, timeZone: 'America/Chicago' });
    const first = await h.call('GET', `/api/v1/organizations/${org.id}/clinics?timeZone=America/Chicago&sort=-name&limit=2`, owner);
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['Charlie', 'Bravo']);
    const second = await h.call('GET', `/api/v1/organizations/${org.id}/clinics?timeZone=America/Chicago&sort=-name&limit=2&cursor=${first.body.nextCursor}`, owner);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ name: 'Alpha' })], nextCursor: null });
    const mismatched = await h.call('GET', `/api/v1/organizations/${org.id}/clinics?sort=name&cursor=${first.body.nextCursor}`, owner);
    expect(mismatched.body.errors[0].field).toBe('cursor');
  });
});

describe('injection', () => {
  it.each([
    ['operator in a body field', { name: { $gt: '' }, code: 'INJ-1', timeZone: 'Europe/Paris', address }],
    ['$where key', { $where: 'sleep(1000)', name: 'x', code: 'INJ-2', timeZone: 'Europe/Paris', address }],
    ['dotted key', { 'address.city': 'x', name: 'x', code: 'INJ-3', timeZone: 'Europe/Paris', address }],
    ['operator nested in an object', { name: 'x', code: 'INJ-4', timeZone: 'Europe/Paris', address: { ...address, city: { $ne: null } } }],
  ])('rejects %s with 400', async (_label, body) => {
    const reply = await h.call('POST', `/api/v1/organizations/${org.id}/clinics`, owner, body);
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['operator in a query parameter', `/clinics?status[$ne]=archived`],
    ['array in a query parameter', `/clinics?status=active&status=archived`],
    ['operator as a path id', `/clinics/${encodeURIComponent('{"$gt":""}')}`],
    ['regex-ish provider filter', `/assignments?providerId=${encodeURIComponent('.*')}`],
    ['forged cursor', `/clinics?cursor=${Buffer.from(JSON.stringify({ s: 'name', v: { $gt: '' }, i: 'x' })).toString('base64url')}`],
  ])('rejects %s with 400', async (_label, suffix) => {
    const reply = await h.call('GET', `/api/v1/organizations/${org.id}${suffix}`, owner);
    expect(reply.status).toBe(400);
  });

  it('rejects a malformed organization id with 400, never 500', async () => {
    const reply = await h.call('GET', `/api/v1/organizations/${encodeURIComponent("1' || '1'=='1")}`, owner);
    expect(reply.status).toBe(400);
  });
});

describe('events and metrics', () => {
  it('relays the domain events to events.enterprise', async () => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const stream = `${h.env.REDIS_KEY_PREFIX}events.enterprise`;
      const types = await waitFor(async () => {
        const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
        const seen = new Set(entries.map(([, fields]) => fields[fields.indexOf('type') + 1]));
        return ['organization.created', 'clinic.created', 'assignment.created', 'rbac.binding-changed'].every((type) => seen.has(type)) ? seen : undefined;
      }, { what: 'enterprise events in the stream', timeoutMs: 60_000 });
      expect(types.has('organization.created')).toBe(true);
      const ended = await h.call('POST', `/api/v1/organizations/${org.id}/assignments/${ids.assignmentId}/end`, owner, {});
      expect(ended.status).toBe(200);
      await waitFor(async () => {
        const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
        return entries.some(([, fields]) => fields.includes('assignment.ended'));
      }, { what: 'assignment.ended in the stream', timeoutMs: 60_000 });
    } finally {
      redis.disconnect();
    }
  });

  it('exports business gauges', async () => {
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toMatch(/enterprise_organizations\{status="active",service="enterprise"\} \d+/);
    expect(metrics).toMatch(/enterprise_clinics\{status="active",service="enterprise"\} [1-9]/);
    expect(metrics).toMatch(/enterprise_assignments\{status="\w+",service="enterprise"\} [1-9]/);
  });
});
