import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '@dentalos/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkheadPolicy,
  CircuitBreakerPolicy,
  FakeClock,
  ResiliencePolicies,
  RetryPolicy,
  TimeoutPolicy,
  bindResilienceMetrics,
  buildDependency,
  wrapNamed,
} from '../src/index.js';
import { BaseEnv } from '@dentalos/core';
import { resilienceAppModule, resilienceAppOptions } from './fixtures/resilience-app.module.js';

const line = (text: string, metric: string, labels: string) =>
  text.split('\n').find((entry) => entry.startsWith(`${metric}{`) && labels.split(',').every((label) => entry.includes(label)));
const value = (text: string, metric: string, labels: string) => Number(line(text, metric, labels)?.split(' ').at(-1));

describe('prom-client binding', () => {
  it('exports calls by outcome, retries, durations and breaker states on a plain Registry', async () => {
    const registry = new Registry();
    const clock = new FakeClock();
    const breaker = new CircuitBreakerPolicy({ name: 'billing', window: { type: 'consecutive', failureThreshold: 2 }, openDuration: 1_000, clock });
    const pipeline = wrapNamed(
      'billing',
      new TimeoutPolicy({ name: 'billing', timeoutMs: 1_000, clock }),
      new RetryPolicy({ name: 'billing', maxAttempts: 2, backoff: { type: 'constant', delayMs: 0 }, clock }),
      breaker,
      new BulkheadPolicy({ name: 'billing', maxConcurrent: 4 }),
    );
    const unbind = bindResilienceMetrics(pipeline, registry);
    await pipeline.execute(() => 'ok');
    const unavailable = Object.assign(new Error('unavailable'), { status: 503 });
    await pipeline.execute(() => Promise.reject(unavailable)).catch(() => undefined); // 2 attempts → breaker opens
    await pipeline.execute(() => 'never runs').catch(() => undefined); // rejected by the open breaker
    let text = await registry.metrics();
    expect(value(text, 'resilience_calls_total', 'policy="billing",outcome="success"')).toBe(1);
    expect(value(text, 'resilience_calls_total', 'outcome="failure"')).toBe(1);
    expect(value(text, 'resilience_calls_total', 'outcome="rejected"')).toBe(1);
    expect(value(text, 'resilience_retries_total', 'policy="billing"')).toBe(1);
    expect(value(text, 'resilience_call_duration_seconds_count', 'policy="billing"')).toBe(3);
    expect(value(text, 'resilience_circuit_state', 'state="open"')).toBe(1);
    expect(value(text, 'resilience_circuit_state', 'state="closed"')).toBe(0);
    // open → half-open happens by the clock alone; the gauge reads it at scrape time.
    clock.tick(1_000);
    text = await registry.metrics();
    expect(value(text, 'resilience_circuit_state', 'state="half-open"')).toBe(1);
    unbind();
    await pipeline.execute(() => 'unobserved');
    text = await registry.metrics();
    expect(value(text, 'resilience_calls_total', 'outcome="success"')).toBe(1);
    expect(line(text, 'resilience_circuit_state', 'policy="billing"')).toBeUndefined();
  });

  it('names the dependency in a bad configuration', () => {
    expect(() => buildDependency('payments', { retry: { maxAttempts: 0 } })).toThrow(/^payments\.retry\.maxAttempts must be >= 1/);
    expect(() => new ResiliencePolicies({ dependencies: { mail: { breaker: { window: { type: 'count', size: 10 }, failureRateThreshold: 2 } } } })).toThrow(
      /^mail\.circuitBreaker\.failureRateThreshold /,
    );
  });
});

describe('ResilienceModule in a real app', () => {
  let upstream: Server;
  let app: TestApp<BaseEnv>;
  let answer = 200;

  beforeAll(async () => {
    upstream = createServer((_req, res) => {
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ from: 'upstream' }));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    app = await startTestApp(resilienceAppModule(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`), resilienceAppOptions, { LOG_LEVEL: 'fatal' });
  });
  afterAll(async () => {
    await app?.close();
    upstream?.close();
  });

  it('provides named policies from config and exports their metrics on /metrics', async () => {
    const policies = app.app.get(ResiliencePolicies);
    expect(policies.names).toEqual(['upstream', 'cache']);
    expect(await policies.policy('cache').execute(() => 'cached')).toBe('cached');
    const ok = await fetch(`${app.url}/api/v1/proxy`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ from: 'upstream' });
    answer = 503;
    const failed = await fetch(`${app.url}/api/v1/proxy`);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    const refused = await fetch(`${app.url}/api/v1/proxy`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN' });
    expect(policies.breaker('upstream')!.state).toBe('open');
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(value(metrics, 'resilience_calls_total', 'policy="upstream",outcome="success"')).toBe(1);
    // The second call's retry found the breaker open: a rejection, not another upstream failure.
    expect(value(metrics, 'resilience_calls_total', 'policy="upstream",outcome="failure"')).toBe(1);
    expect(value(metrics, 'resilience_calls_total', 'policy="upstream",outcome="rejected"')).toBe(1);
    expect(value(metrics, 'resilience_calls_total', 'policy="cache",outcome="success"')).toBe(1);
    expect(value(metrics, 'resilience_retries_total', 'policy="upstream"')).toBe(2);
    expect(value(metrics, 'resilience_circuit_state', 'policy="upstream",state="open"')).toBe(1);
    expect(line(metrics, 'resilience_calls_total', 'service="resilience-fixture"')).toBeDefined();
  });
});
