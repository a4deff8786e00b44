import { type PrivateServer, privateRedis, sleep } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../src/http.js';
import { describeFailures, type LoadStep, startLoad } from '../src/load.js';
import { waitForMail } from '../src/mail.js';
import { type Person, signUp, strongPassword, uniqueEmail } from '../src/people.js';
import { type Stack, startStack } from '../src/stack.js';

/** How long Redis stays away: the 30 s (E2E_REDIS_OUTAGE_MS overrides). */
const OUTAGE_MS = Number(process.env.E2E_REDIS_OUTAGE_MS ?? 30_000);
/** A deliberately tight per-IP rule on one route, to see the limiter work and then fail open. */
const LIMITED_PATH = '/api/v1/users/me/sessions';
const LIMIT = 20;

describe('Redis stopped under load', () => {
  let redis: PrivateServer;
  let stack: Stack;
  let api: Api;
  let person: Person;

  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    stack = await startStack({
      redisUrl: redis.url,
      env: { gateway: { RATE_LIMIT_ROUTES: `GET ${LIMITED_PATH}=${LIMIT}/60,POST /api/v1/auth/password-reset/request=1000/60` } },
    });
    api = new Api(stack.gatewayUrl);
    person = await signUp(api, 'redis');
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.dispose();
  });

  it('limits while Redis is up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push((await api.get(LIMITED_PATH, { token: person.accessToken })).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  });

  it('serves without 5xx, fails rate limits open and delivers every event once Redis is back', async () => {
    const steps = (n: number): LoadStep => {
      const token = person.accessToken;
      if (n % 3 === 0) return { label: 'limited GET sessions', method: 'GET', path: LIMITED_PATH, token };
      if (n % 3 === 1) return { label: 'GET /users/me', method: 'GET', path: '/api/v1/users/me', token };
      return { label: 'GET /preferences/me', method: 'GET', path: '/api/v1/preferences/me', token };
    };
    await redis.stop();
    const load = startLoad(stack.gatewayUrl, steps, { workers: 3, pauseMs: 30 });
    // Accounts registered while Redis is away: their user.created events wait in the outbox.
    const registered: string[] = [];
    const deadline = Date.now() + OUTAGE_MS;
    while (Date.now() < deadline) {
      const email = uniqueEmail('outage');
      const response = await api.post('/api/v1/auth/register', { email, password: strongPassword() });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      registered.push(email);
      await sleep(Math.min(1_000, Math.max(0, deadline - Date.now())));
    }
    const summary = await load.stop();
    await redis.start();

    expect(summary.total).toBeGreaterThan(20);
    expect(summary.failures, describeFailures(summary)).toEqual([]);
    expect(summary.byStatus['limited GET sessions 429'] ?? 0).toBe(0);
    expect(registered.length).toBeGreaterThan(2);
    for (const email of registered) await waitForMail(email, /welcome/i, 120_000);
    // The outage itself, the registrations and the backlog the relay drains once Redis is back.
  }, OUTAGE_MS + 420_000);
});
