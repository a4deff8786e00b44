import { type TestApp, type TestTokenIssuer, startTestTokenIssuer, waitFor } from '@dentalos/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

let issuer: TestTokenIssuer;
let flaky: FakeUpstream;
let steady: FakeUpstream;
let token: string;
let admin: string;
const gateways: TestApp<GatewayEnv>[] = [];

async function gatewayWith(env: Record<string, string>) {
  const gateway = await startGateway([flaky, steady], issuer, env);
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  [flaky, steady] = await Promise.all([new FakeUpstream('flaky').start(), new FakeUpstream('steady').start()]);
  token = await issuer.sign({ sub: 'resilient-user' });
  admin = await issuer.sign({ sub: 'admin', roles: ['platform-admin'] });
});
afterEach(() => {
  flaky.behave = undefined;
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await Promise.all([flaky?.close(), steady?.close(), issuer?.close()]);
});

const answer = (status: number, body: object = { code: `UPSTREAM_${status}` }) =>
  ((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(body));
    return true;
  }) satisfies FakeUpstream['behave'];

const call = (url: string, path: string, method = 'GET') => fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

async function breakerOf(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}/gateway/upstreams`, { headers: { authorization: `Bearer ${admin}` } });
  const { upstreams } = (await response.json()) as { upstreams: { name: string; breaker: string }[] };
  return upstreams.find((upstream) => upstream.name === name)!.breaker;
}

describe('circuit breaker per upstream', () => {
  it('opens on failures (503 + Retry-After, upstream spared), goes half-open, and closes after recovery', async () => {
    const gateway = await gatewayWith({
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_MIN_CALLS: '4',
      UPSTREAM_BREAKER_FAILURE_PERCENT: '50',
      UPSTREAM_BREAKER_OPEN_MS: '1000',
    });
    flaky.behave = answer(500);
    for (let i = 0; i < 4; i++) {
      const response = await call(gateway.url, '/api/v1/flaky/items');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ code: 'UPSTREAM_500' });
    }
    const hitsWhenOpened = flaky.seen.length;
    const open = await call(gateway.url, '/api/v1/flaky/items');
    expect(open.status).toBe(503);
    expect(open.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await open.json()).toMatchObject({ status: 503, code: 'UPSTREAM_CIRCUIT_OPEN' });
    expect(flaky.seen.length).toBe(hitsWhenOpened);
    expect(await breakerOf(gateway.url, 'flaky')).toBe('open');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/resilience_circuit_state\{policy="flaky",state="open",service="gateway"\} 1/);

    // Another upstream is not affected.
    expect((await call(gateway.url, '/api/v1/steady/items')).status).toBe(200);
    expect(await breakerOf(gateway.url, 'steady')).toBe('closed');

    await waitFor(async () => (await breakerOf(gateway.url, 'flaky')) === 'half-open', { what: 'half-open' });
    flaky.behave = undefined;
    expect((await call(gateway.url, '/api/v1/flaky/items')).status).toBe(200);
    expect(await breakerOf(gateway.url, 'flaky')).toBe('closed');
    expect((await call(gateway.url, '/api/v1/flaky/items')).status).toBe(200);
  });

  it('opens again when the half-open trial call fails', async () => {
    const gateway = await gatewayWith({ UPSTREAM_RETRIES: '0', UPSTREAM_BREAKER_MIN_CALLS: '2', UPSTREAM_BREAKER_OPEN_MS: '500' });
    flaky.behave = answer(502);
    await call(gateway.url, '/api/v1/flaky/a');
    await call(gateway.url, '/api/v1/flaky/a');
    expect(await breakerOf(gateway.url, 'flaky')).toBe('open');
    await waitFor(async () => (await breakerOf(gateway.url, 'flaky')) === 'half-open', { what: 'half-open' });
    expect((await call(gateway.url, '/api/v1/flaky/a')).status).toBe(502);
    expect(await breakerOf(gateway.url, 'flaky')).toBe('open');
  });

  it('sends the half-open trial once, without retries, and counts only attempts that were sent', async () => {
    const gateway = await gatewayWith({ UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY_MS: '1', UPSTREAM_BREAKER_MIN_CALLS: '2', UPSTREAM_BREAKER_OPEN_MS: '500' });
    flaky.behave = answer(500); // not retryable: two calls, two attempts
    await call(gateway.url, '/api/v1/flaky/b');
    await call(gateway.url, '/api/v1/flaky/b');
    expect(await breakerOf(gateway.url, 'flaky')).toBe('open');
    expect((await call(gateway.url, '/api/v1/flaky/b')).status).toBe(503); // refused, never sent
    await waitFor(async () => (await breakerOf(gateway.url, 'flaky')) === 'half-open', { what: 'half-open' });
    flaky.behave = answer(503); // retryable, but a trial call is not retried
    const before = flaky.seen.length;
    expect((await call(gateway.url, '/api/v1/flaky/b')).status).toBe(503);
    expect(flaky.seen.length - before).toBe(1);
    expect(await breakerOf(gateway.url, 'flaky')).toBe('open');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_attempts_total\{upstream="flaky",kind="primary",service="gateway"\} 3\n/);
    expect(metrics).not.toMatch(/gateway_upstream_attempts_total\{upstream="flaky",kind="retry",service="gateway"\} [1-9]/);
  });
});

describe('retries', () => {
  it('retries a GET answered 503 and returns the successful answer', async () => {
    const gateway = await gatewayWith({ UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY_MS: '5' });
    let calls = 0;
    flaky.behave = (req, res) => (++calls === 1 ? answer(503)(req, res) : false);
    const before = flaky.seen.length;
    const response = await call(gateway.url, '/api/v1/flaky/retry-me');
    expect(response.status).toBe(200);
    expect(flaky.seen.length - before).toBe(2);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_attempts_total\{upstream="flaky",kind="retry",service="gateway"\} 1/);
  });

  it('never retries a POST, even on 503', async () => {
    const gateway = await gatewayWith({ UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY_MS: '5' });
    flaky.behave = answer(503);
    const before = flaky.seen.length;
    const response = await call(gateway.url, '/api/v1/flaky/orders', 'POST');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ code: 'UPSTREAM_503' });
    expect(flaky.seen.length - before).toBe(1);
  });

  it('does not retry a 500 (the request reached the application)', async () => {
    const gateway = await gatewayWith({ UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY_MS: '5' });
    flaky.behave = answer(500);
    const before = flaky.seen.length;
    expect((await call(gateway.url, '/api/v1/flaky/bug')).status).toBe(500);
    expect(flaky.seen.length - before).toBe(1);
  });

  it('stops retrying at the route deadline: 504, with fewer attempts than allowed', async () => {
    const gateway = await gatewayWith({
      UPSTREAM_RETRIES: '5',
      UPSTREAM_RETRY_BASE_DELAY_MS: '1',
      UPSTREAM_TRY_TIMEOUT_MS: '200',
      UPSTREAM_ROUTE_TIMEOUT_MS: '450',
      UPSTREAM_BREAKER_MIN_CALLS: '100',
    });
    flaky.behave = () => true; // holds every request without answering
    const before = flaky.seen.length;
    const response = await call(gateway.url, '/api/v1/flaky/hang');
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'flaky' });
    expect(flaky.seen.length - before).toBeLessThan(6);
    expect(flaky.seen.length - before).toBeGreaterThanOrEqual(2);
  });
});

describe('bulkhead per upstream', () => {
  it('refuses calls beyond the upstream concurrency with 503 while other upstreams keep serving', async () => {
    const gateway = await gatewayWith({ UPSTREAM_MAX_CONCURRENT: '2', UPSTREAM_RETRIES: '0', UPSTREAM_TRY_TIMEOUT_MS: '3000' });
    const held: (() => void)[] = [];
    flaky.behave = (_req, res) => {
      held.push(() => res.writeHead(200).end('{}'));
      return true;
    };
    const first = [call(gateway.url, '/api/v1/flaky/slow'), call(gateway.url, '/api/v1/flaky/slow')];
    await waitFor(() => held.length === 2, { what: 'two calls held upstream' });
    const refused = await call(gateway.url, '/api/v1/flaky/slow');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: 'UPSTREAM_SATURATED' });
    expect((await call(gateway.url, '/api/v1/steady/fast')).status).toBe(200);
    held.forEach((release) => release());
    expect((await Promise.all(first)).map((response) => response.status)).toEqual([200, 200]);
  });
});

describe('readiness', () => {
  it('stays ready with an upstream down: partial availability', async () => {
    const gone = await new FakeUpstream('gone').start();
    await gone.close();
    const gateway = await startGateway([gone, steady], issuer);
    gateways.push(gateway);
    expect((await fetch(`${gateway.url}/health/readiness`)).status).toBe(200);
    expect((await call(gateway.url, '/api/v1/gone/x')).status).toBe(502);
    expect((await call(gateway.url, '/api/v1/steady/x')).status).toBe(200);
  });
});
