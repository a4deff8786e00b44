import { type TestApp, type TestTokenIssuer, startTestTokenIssuer } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-request.js';

let issuer: TestTokenIssuer;
let users: FakeUpstream;
let clinics: FakeUpstream;
let gateway: TestApp<GatewayEnv>;
let token: string;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  users = await new FakeUpstream('users').start();
  clinics = await new FakeUpstream('clinics').start();
  gateway = await startGateway([users, clinics], issuer, { UPSTREAM_TRY_TIMEOUT_MS: '300', UPSTREAM_ROUTE_TIMEOUT_MS: '600', UPSTREAM_RETRIES: '0' });
  token = await issuer.sign({ sub: 'user-1' });
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([users?.close(), clinics?.close(), issuer?.close()]);
});

async function call(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers } });
  const text = await response.text();
  return { response, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('routing', () => {
  it('sends each first path segment to its owning service with the path and query unchanged', async () => {
    const a = await call('/api/v1/users/42/sessions?limit=5&sort=-createdAt');
    const b = await call('/api/v1/clinics-things');
    expect(a.response.status).toBe(200);
    expect(a.body).toMatchObject({ service: 'users', url: '/api/v1/users/42/sessions?limit=5&sort=-createdAt' });
    expect(b.body).toMatchObject({ service: 'clinics', url: '/api/v1/clinics-things' });
  });

  it('answers an unknown segment with a 404 problem without calling anyone', async () => {
    const before = users.seen.length + clinics.seen.length;
    const { response, body } = await call('/api/v1/nowhere/1');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(users.seen.length + clinics.seen.length).toBe(before);
  });

  it('routes the signing keys to the user service without a token', async () => {
    const response = await fetch(`${gateway.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ service: 'users', url: '/.well-known/jwks.json' });
  });

  it("never exposes an upstream's /metrics or /health", async () => {
    const before = users.seen.length;
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('service="gateway"');
    expect(metrics).not.toContain('service="users"');
    for (const path of ['/api/v1/users/../../metrics', '/api/v1/users/%2e%2e/%2e%2e/health/readiness', '/api/v1/users/..%2f..%2fmetrics']) {
      const response = await rawRequest(gateway.url, path, { authorization: `Bearer ${token}` });
      expect(response.status, path).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    }
    expect(users.seen.length).toBe(before);
  });
});

describe('headers', () => {
  it('strips hop-by-hop request headers, including those named in Connection', async () => {
    const response = await rawRequest(gateway.url, '/api/v1/users/me', {
      authorization: `Bearer ${token}`,
      connection: 'keep-alive, x-hop',
      'x-hop': 'secret',
      te: 'trailers',
      'x-end': 'kept',
      'proxy-authorization': 'Basic eA==',
    });
    const seen = (JSON.parse(response.body) as { headers: Record<string, string> }).headers;
    expect(seen['x-end']).toBe('kept');
    expect(seen['x-hop']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen.authorization).toBe(`Bearer ${token}`);
  });

  it('strips hop-by-hop response headers', async () => {
    const { response } = await call('/api/v1/users/me');
    expect(response.headers.get('x-upstream')).toBe('users');
    expect(response.headers.get('keep-alive')).not.toBe('timeout=60');
  });

  it('sets X-Forwarded-For/Proto/Host and ignores a spoofed client X-Forwarded-For', async () => {
    const { body } = await call('/api/v1/users/me', { 'x-forwarded-for': '6.6.6.6' });
    const seen = body.headers as Record<string, string>;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe(new URL(gateway.url).host);
  });

  it('keeps a valid request id, forwards it upstream and echoes it', async () => {
    const { response, body } = await call('/api/v1/users/me', { 'x-request-id': 'client-id-12345' });
    expect(response.headers.get('x-request-id')).toBe('client-id-12345');
    expect((body.headers as Record<string, string>)['x-request-id']).toBe('client-id-12345');
  });

  it('replaces an invalid request id with a generated one, the same upstream and back', async () => {
    const { response, body } = await call('/api/v1/users/me', { 'x-request-id': 'bad id!' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((body.headers as Record<string, string>)['x-request-id']).toBe(id);
  });

  it('passes a valid traceparent through and starts one when absent or malformed', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const kept = await call('/api/v1/users/me', { traceparent, tracestate: 'vendor=1' });
    expect((kept.body.headers as Record<string, string>).traceparent).toBe(traceparent);
    expect((kept.body.headers as Record<string, string>).tracestate).toBe('vendor=1');
    const fresh = await call('/api/v1/users/me', { traceparent: 'garbage' });
    const generated = (fresh.body.headers as Record<string, string>).traceparent;
    expect(generated).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(generated).not.toBe('garbage');
  });
});

describe('upstream failures', () => {
  it('answers 504 problem+json when the upstream does not answer in time', async () => {
    clinics.behave = (req) => req.url!.includes('/slow'); // never answers
    const { response, body } = await call('/api/v1/clinics/slow');
    clinics.behave = undefined;
    expect(response.status).toBe(504);
    expect(body).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'clinics' });
  });

  it('answers 502 problem+json when the upstream refuses connections, and others keep working', async () => {
    const gone = await new FakeUpstream('gone').start();
    await gone.close();
    const other = await startGateway([users, gone], issuer, { UPSTREAM_RETRIES: '0' });
    try {
      const down = await fetch(`${other.url}/api/v1/gone/1`, { headers: { authorization: `Bearer ${token}` } });
      expect(down.status).toBe(502);
      expect(await down.json()).toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });
      const up = await fetch(`${other.url}/api/v1/users/1`, { headers: { authorization: `Bearer ${token}` } });
      expect(up.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('passes upstream problem responses through untouched', async () => {
    users.behave = (_req, res) => {
      res.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'EMAIL_TAKEN', status: 409 }));
      return true;
    };
    const { response, body } = await call('/api/v1/users', { 'content-type': 'application/json' }, 'POST');
    users.behave = undefined;
    expect(response.status).toBe(409);
    expect(body).toEqual({ code: 'EMAIL_TAKEN', status: 409 });
  });
});

describe('metrics', () => {
  it('records RED metrics per route template and per upstream', async () => {
    await call('/api/v1/users/me');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/http_server_requests_total\{method="GET",route="\/api\/v1\/users\/\*",status_code="200",service="gateway"\} \d+/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{upstream="users",method="GET",status_code="200",service="gateway"\} \d+/);
    expect(metrics).toMatch(/gateway_upstream_request_duration_seconds_count\{service="gateway",upstream="users"\} \d+/);
  });
});

describe('edge hygiene', () => {
  it('answers CORS from the gateway config, never from the upstream, and adds security headers', async () => {
    users.behave = (req, res) => {
      if (!req.url!.includes('/cors')) return false;
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{}');
      return true;
    };
    const cors = await startGateway([users, clinics], issuer, { CORS_ORIGINS: 'https://app.dentalos.example' });
    try {
      const preflight = await fetch(`${cors.url}/api/v1/users/cors`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.dentalos.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.dentalos.example');
      const response = await fetch(`${cors.url}/api/v1/users/cors`, { headers: { origin: 'https://app.dentalos.example', authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.dentalos.example');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const stranger = await fetch(`${cors.url}/api/v1/users/cors`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      users.behave = undefined;
      await cors.close();
    }
  });
});
