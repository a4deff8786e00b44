import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentBody, type Clinic, createClinic, createOrganization, type Organization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { type Person, signUp } from '../src/people.js';
import { type Stack, startStack, UPSTREAMS } from '../src/stack.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const TENANT_PARAM = '{orgId}';

interface OpenApi {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>>;
}

interface TenantOperation {
  method: (typeof METHODS)[number];
  path: string;
}

/** Every operation under an organization, from the documents the gateway publishes. */
function tenantOperations(document: OpenApi): TenantOperation[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.includes(TENANT_PARAM))
    .flatMap(([path, operations]) => METHODS.filter((method) => operations[method]).map((method) => ({ method, path })));
}

/**
 * For every tenant-scoped operation the specs document, a member of another organization gets
 * 404 and none of the victim's data; generated from the specs, so new endpoints are covered.
 */
describe('tenant isolation matrix', () => {
  let stack: Stack;
  let api: Api;
  let victim: Person;
  let outsider: Person;
  let victimOrg: Organization;
  let outsiderOrg: Organization;
  let clinic: Clinic;
  const ids: Record<string, string> = {};
  const operations: TenantOperation[] = [];
  const secrets: string[] = [];

  const victimState = async () => {
    const token = victim.accessToken;
    const [org, clinics, bindings, assignments] = await Promise.all([
      api.get(`/api/v1/organizations/${victimOrg.id}`, { token }),
      api.get(`/api/v1/organizations/${victimOrg.id}/clinics`, { token }),
      api.get(`/api/v1/organizations/${victimOrg.id}/bindings`, { token }),
      api.get(`/api/v1/organizations/${victimOrg.id}/assignments`, { token }),
    ]);
    return JSON.stringify([org.body, clinics.body, bindings.body, assignments.body]);
  };

  beforeAll(async () => {
    stack = await startStack();
    api = new Api(stack.gatewayUrl);
    [victim, outsider] = await Promise.all([signUp(api, 'victim'), signUp(api, 'outsider')]);
    victimOrg = await createOrganization(api, victim.accessToken, 'victim');
    outsiderOrg = await createOrganization(api, outsider.accessToken, 'outsider');
    clinic = await createClinic(api, victim.accessToken, victimOrg.id, 'Victim Clinic Lisbon', 'Europe/Lisbon', 'PT');
    const assignment = await api.post<{ id: string }>(`/api/v1/organizations/${victimOrg.id}/assignments`, assignmentBody(victim.id, clinic.id, '09:00', '12:00'), {
      token: victim.accessToken,
    });
    const binding = await api.post<{ id: string }>(`/api/v1/organizations/${victimOrg.id}/bindings`, { userId: victim.id, role: 'auditor', clinicId: clinic.id }, {
      token: victim.accessToken,
    });
    expect(assignment.status).toBe(201);
    expect(binding.status).toBe(201);
    Object.assign(ids, { orgId: victimOrg.id, clinicId: clinic.id, assignmentId: assignment.body.id, bindingId: binding.body.id, userId: victim.id });
    secrets.push(victimOrg.name, victimOrg.slug, clinic.name, clinic.code, victim.email);

    for (const service of UPSTREAMS) {
      const published = await api.get<OpenApi>(`/api-docs/specs/${service}`);
      expect(published.status).toBe(200);
      operations.push(...tenantOperations(published.body));
      // A tenant-scoped route the service documents but the gateway does not route is a gap.
      const own = (await (await fetch(`${stack.url(service)}/api-docs-json`)).json()) as OpenApi;
      expect(tenantOperations(own).filter((op) => !published.body.paths[op.path]?.[op.method]), `${service} operations missing behind the gateway`).toEqual([]);
    }
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('finds the tenant-scoped operations in the published specs', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(operations).toContainEqual({ method: 'get', path: '/api/v1/organizations/{orgId}/clinics/{clinicId}' });
  });

  it('lets the outsider use their own organization (the control)', async () => {
    const own = await api.get(`/api/v1/organizations/${outsiderOrg.id}`, { token: outsider.accessToken });
    expect(own.status).toBe(200);
  });

  it("answers 404 with none of the victim's data for every operation, and changes nothing", async () => {
    const before = await victimState();
    const leaks: string[] = [];
    for (const operation of operations) {
      const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => ids[name] ?? randomUUID());
      const body = operation.method === 'get' || operation.method === 'delete' ? undefined : {};
      const response = await api.request(operation.method.toUpperCase(), path, { token: outsider.accessToken, body });
      const text = JSON.stringify(response.body);
      const leaked = secrets.filter((secret) => text.includes(secret));
      if (response.status !== 404 || leaked.length > 0) leaks.push(`${operation.method.toUpperCase()} ${operation.path} → ${response.status} ${leaked.join(',')} ${text.slice(0, 160)}`);
    }
    expect(leaks).toEqual([]);
    expect(await victimState()).toBe(before);
  });
});
