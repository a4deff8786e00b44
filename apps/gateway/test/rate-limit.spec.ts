import { type PrivateServer, type TestApp, type TestTokenIssuer, privateRedis, startTestTokenIssuer, testKeyPrefix, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

let issuer: TestTokenIssuer;
let users: FakeUpstream;
const gateways: TestApp<GatewayEnv>[] = [];

const LIMITS = { RATE_LIMIT_PER_USER: '3', RATE_LIMIT_PER_IP: '50', RATE_LIMIT_ROUTES: 'POST /api/v1/auth/login=2/60' };

/** Limits are only exact once the gateway's Redis connection is up; before that it fails open. */
async function redisConnected(gateway: TestApp<GatewayEnv>): Promise<void> {
  await waitFor(
    async () => {
      const readiness = (await (await fetch(`${gateway.url}/health/readiness`)).json()) as { info?: { redis?: { status?: string; degraded?: boolean } } };
      return readiness.info?.redis?.status === 'up' && !readiness.info.redis.degraded;
    },
    { what: 'gateway connected to Redis' },
  );
}

async function gatewayWith(env: Record<string, string> = {}) {
  const gateway = await startGateway([users], issuer, { ...LIMITS, ...env });
  gateways.push(gateway);
  await redisConnected(gateway);
  return gateway;
}

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  users = await new FakeUpstream('users').start();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await Promise.all([users?.close(), issuer?.close()]);
});

const asUser = (url: string, token: string) => fetch(`${url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
const login = (url: string) => fetch(`${url}/api/v1/auth/login`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

describe('rate limits', () => {
  it('limits each user, counting down RateLimit headers, then answers 429 problem+json with Retry-After', async () => {
    const gateway = await gatewayWith();
    const token = await issuer.sign({ sub: 'limited-user' });
    const before = users.hits('/api/v1/users/me').length;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await asUser(gateway.url, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      expect(response.headers.get('ratelimit-policy')).toBe('3;w=60');
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await asUser(gateway.url, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', policy: 'user' });
    expect(users.hits('/api/v1/users/me').length - before).toBe(3);

    const someoneElse = await issuer.sign({ sub: 'other-user' });
    expect((await asUser(gateway.url, someoneElse)).status).toBe(200);
  });

  it('is stricter on login, per client IP', async () => {
    const gateway = await gatewayWith();
    expect((await login(gateway.url)).status).toBe(200);
    expect((await login(gateway.url)).status).toBe(200);
    const limited = await login(gateway.url);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', policy: 'POST /api/v1/auth/login' });
  });

  it('charges callers with missing or bad tokens to their address, answering 429 once it is spent', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_IP: '4' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await asUser(gateway.url, `forged.${i}.token`)).status);
    statuses.push((await fetch(`${gateway.url}/api/v1/users/me`)).status);
    const limited = await asUser(gateway.url, 'forged.again.token');
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED', policy: 'ip' });
    const valid = await issuer.sign({ sub: 'same-address-user' });
    expect((await asUser(gateway.url, valid)).status).toBe(429);
  });

  it('behind a trusted proxy, limits the address the proxy saw, whatever the client writes to X-Forwarded-For', async () => {
    const gateway = await gatewayWith({ TRUSTED_PROXIES: 'loopback' });
    const loginFrom = (forwardedFor: string) =>
      fetch(`${gateway.url}/api/v1/auth/login`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await loginFrom(`6.6.6.${i}, 10.1.1.1`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await loginFrom('10.2.2.2')).status).toBe(200);
    const forwarded = users.hits('/api/v1/auth/login').at(-1)!.headers['x-forwarded-for'];
    expect(forwarded).toBe('10.2.2.2, 127.0.0.1');
  });

  it('counts the metric of each decision', async () => {
    const gateway = await gatewayWith();
    const token = await issuer.sign({ sub: 'metric-user' });
    for (let i = 0; i < 4; i++) await asUser(gateway.url, token);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_rate_limit_decisions_total\{policy="user",decision="limited",service="gateway"\} [1-9]/);
    expect(metrics).toMatch(/gateway_rate_limit_decisions_total\{policy="user",decision="allowed",service="gateway"\} [1-9]/);
  });

  it('holds one limit across two gateway replicas sharing Redis', async () => {
    const prefix = testKeyPrefix('replicas');
    const [a, b] = await Promise.all([gatewayWith({ REDIS_KEY_PREFIX: prefix }), gatewayWith({ REDIS_KEY_PREFIX: prefix })]);
    const token = await issuer.sign({ sub: 'replicated-user' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await asUser(i % 2 === 0 ? a!.url : b!.url, token)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });

  it('admits exactly the limit under concurrent requests on both replicas', async () => {
    const prefix = testKeyPrefix('burst');
    const [a, b] = await Promise.all([gatewayWith({ REDIS_KEY_PREFIX: prefix }), gatewayWith({ REDIS_KEY_PREFIX: prefix })]);
    const token = await issuer.sign({ sub: 'burst-user' });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => asUser(i % 2 === 0 ? a!.url : b!.url, token)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(3);
  });
});

describe('when Redis is down', () => {
  let redis: PrivateServer;
  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
  });
  afterAll(() => redis?.dispose());

  it('fails open, counts it, stays ready, and enforces limits again once Redis is back', async () => {
    const gateway = await gatewayWith({ REDIS_URL: redis.url });
    const token = await issuer.sign({ sub: 'fail-open-user' });
    expect((await asUser(gateway.url, token)).status).toBe(200);
    await redis.stop();
    for (let i = 0; i < 6; i++) expect((await asUser(gateway.url, token)).status).toBe(200);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_rate_limit_decisions_total\{policy="none",decision="fail_open",service="gateway"\} ([5-9]|\d\d)/);
    const readiness = await fetch(`${gateway.url}/health/readiness`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ info: { redis: { status: 'up', degraded: true } } });

    await redis.start();
    await waitFor(async () => (await asUser(gateway.url, token)).status === 429, { what: 'limits enforced again', timeoutMs: 20_000 });
  });
});
