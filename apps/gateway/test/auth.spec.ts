import { type TestApp, type TestTokenIssuer, startTestTokenIssuer } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

let issuer: TestTokenIssuer;
let stranger: TestTokenIssuer;
let users: FakeUpstream;
let gateway: TestApp<GatewayEnv>;

beforeAll(async () => {
  [issuer, stranger] = await Promise.all([startTestTokenIssuer(), startTestTokenIssuer()]);
  users = await new FakeUpstream('users').start();
  gateway = await startGateway([users], issuer);
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([users?.close(), issuer?.close(), stranger?.close()]);
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });

describe('authentication at the edge', () => {
  it('lets a valid token through', async () => {
    const token = await issuer.sign({ sub: 'user-7' });
    const response = await get('/api/v1/users/me', { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
  });

  it('answers every bad token with a 401 problem that never reaches the upstream', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['missing', {}, 'TOKEN_MISSING'],
      ['not a bearer', { authorization: 'Basic dXNlcjpwYXNz' }, 'TOKEN_MISSING'],
      ['malformed', { authorization: 'Bearer not.a.jwt' }, 'TOKEN_INVALID'],
      ['expired', { authorization: `Bearer ${await issuer.sign({}, { expiresIn: -120 })}` }, 'TOKEN_EXPIRED'],
      ['wrongly signed', { authorization: `Bearer ${await stranger.sign({}, { kid: 'rogue' })}` }, 'TOKEN_INVALID'],
      ['wrong audience', { authorization: `Bearer ${await issuer.sign({}, { audience: 'elsewhere' })}` }, 'TOKEN_INVALID'],
    ];
    const before = users.seen.length;
    for (const [name, headers, code] of cases) {
      const response = await get('/api/v1/users/me', headers);
      expect(response.status, name).toBe(401);
      expect(response.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('www-authenticate'), name).toBe('Bearer');
      expect(await response.json(), name).toMatchObject({ status: 401, code, requestId: expect.any(String) });
    }
    expect(users.seen.length).toBe(before);
  });

  it('does not let a 401 consume a request body', async () => {
    const response = await fetch(`${gateway.url}/api/v1/users`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
  });
});

describe('public routes', () => {
  it('passes every allow-listed route without a token', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/v1/auth/register'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/refresh'],
      ['POST', '/api/v1/auth/verify-email'],
      ['POST', '/api/v1/auth/password-reset/request'],
      ['POST', '/api/v1/auth/password-reset/confirm'],
      ['GET', '/.well-known/jwks.json'],
    ];
    for (const [method, path] of routes) {
      const response = await fetch(`${gateway.url}${path}`, { method, body: method === 'POST' ? '{}' : undefined, headers: { 'content-type': 'application/json' } });
      expect(response.status, `${method} ${path}`).toBe(200);
      expect(await response.json()).toMatchObject({ method, url: path });
    }
  });

  it('keeps other methods and neighbouring paths of public routes protected', async () => {
    expect((await get('/api/v1/auth/login')).status).toBe(401);
    expect((await fetch(`${gateway.url}/api/v1/auth/login/extra`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${gateway.url}/api/v1/auth/sessions`, { method: 'POST' })).status).toBe(401);
  });

  it("serves the gateway's own docs and health without a token", async () => {
    expect((await get('/api-docs')).status).toBe(200);
    expect((await get('/health/liveness')).status).toBe(200);
    expect((await get('/health/readiness')).status).toBe(200);
  });
});

describe('upstream status endpoint', () => {
  it('shows breaker states to platform admins only', async () => {
    const admin = await issuer.sign({ roles: ['platform-admin'] });
    const plain = await issuer.sign({ roles: [] });
    expect((await get('/gateway/upstreams')).status).toBe(401);
    expect((await get('/gateway/upstreams', { authorization: `Bearer ${plain}` })).status).toBe(403);
    const response = await get('/gateway/upstreams', { authorization: `Bearer ${admin}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upstreams: [{ name: 'users', breaker: 'closed', segments: ['auth', 'users', 'users-things'] }] });
  });
});
