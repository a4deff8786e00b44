import { type TestApp, type TestTokenIssuer, startTestTokenIssuer } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

let issuer: TestTokenIssuer;
let users: FakeUpstream;
let clinics: FakeUpstream;
let never: FakeUpstream;
let gateway: TestApp<GatewayEnv>;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  [users, clinics, never] = await Promise.all(['users', 'clinics', 'never'].map((name) => new FakeUpstream(name).start()));
  await never!.close();
  gateway = await startGateway([users!, clinics!, never!], issuer, { API_DOCS_CACHE_TTL_MS: '0' });
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([users?.close(), issuer?.close()]);
});

describe('aggregated Swagger UI', () => {
  it('serves one UI listing the gateway and every service document', async () => {
    const page = await fetch(`${gateway.url}/api-docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api-docs/swagger-ui-init.js');
    const init = await (await fetch(`${gateway.url}/api-docs/swagger-ui-init.js`)).text();
    for (const name of ['users', 'clinics', 'never']) expect(init).toContain(`"url":"/api-docs/specs/${name}","name":"${name}"`);
    expect(init).toContain('"url":"/api-docs-json","name":"gateway"');
    const bundle = await fetch(`${gateway.url}/api-docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(1000);
  });

  it("serves the gateway's own document, with its upstream status endpoint", async () => {
    const spec = (await (await fetch(`${gateway.url}/api-docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/gateway/upstreams');
  });

  it("serves each service's document with the gateway as server and only the routes it proxies", async () => {
    const response = await fetch(`${gateway.url}/api-docs/specs/users`);
    expect(response.status).toBe(200);
    const spec = (await response.json()) as { info: { title: string }; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(spec.info.title).toBe('DentalOS users');
    expect(spec.servers).toEqual([{ url: gateway.url, description: 'API gateway' }]);
    expect(Object.keys(spec.paths)).toEqual(['/api/v1/users-things']);
  });

  it('keeps serving the last document of a service that went down', async () => {
    expect((await fetch(`${gateway.url}/api-docs/specs/clinics`)).status).toBe(200);
    await clinics.close();
    const response = await fetch(`${gateway.url}/api-docs/specs/clinics`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { info: { title: string } }).info.title).toBe('DentalOS clinics');
  });

  it('answers 503 problem+json for a service never reached, and 404 for an unknown one', async () => {
    const down = await fetch(`${gateway.url}/api-docs/specs/never`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'API_DOCS_UNAVAILABLE' });
    const unknown = await fetch(`${gateway.url}/api-docs/specs/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
