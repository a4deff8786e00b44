import { type PrivateServer, privateFerretDb, sleep, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, type Organization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { type LoadStep, type Outcome, startLoad, summarize } from '../src/load.js';
import { type Person, signUp } from '../src/people.js';
import { readiness, type Stack, startStack } from '../src/stack.js';

const OUTAGE_MS = Number(process.env.E2E_DB_OUTAGE_MS ?? 10_000);
/** The gateway's whole-exchange deadline in this stack; a request that takes longer "hangs". */
const ROUTE_TIMEOUT_MS = 5_000;
const DATA_SERVICES = ['user', 'notification', 'enterprise'] as const;

interface Binding {
  userId: string;
}

describe('database stopped under load', () => {
  let mongo: PrivateServer;
  let stack: Stack;
  let api: Api;
  let owner: Person;
  let org: Organization;
  const acknowledged = new Set<string>();
  let writes = 0;

  const steps = (n: number): LoadStep => {
    const token = owner.accessToken;
    if (n % 2 === 0) return { label: 'GET organization', method: 'GET', path: `/api/v1/organizations/${org.id}`, token };
    const userId = `usr_load_${n}`;
    writes++;
    return { label: `POST binding ${userId}`, method: 'POST', path: `/api/v1/organizations/${org.id}/bindings`, token, body: { userId, role: 'dentist' } };
  };

  const bindingsOf = async (): Promise<Set<string>> => {
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Binding[]; nextCursor: string | null } } = await api.get(
        `/api/v1/organizations/${org.id}/bindings?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: owner.accessToken },
      );
      expect(page.status).toBe(200);
      for (const binding of page.body.items) found.add(binding.userId);
      cursor = page.body.nextCursor;
    } while (cursor);
    return found;
  };

  beforeAll(async () => {
    mongo = await privateFerretDb();
    await mongo.start();
    stack = await startStack({ mongoUrl: mongo.url, env: { gateway: { UPSTREAM_ROUTE_TIMEOUT_MS: String(ROUTE_TIMEOUT_MS), UPSTREAM_TRY_TIMEOUT_MS: '4000' } } });
    api = new Api(stack.gatewayUrl);
    owner = await signUp(api, 'dbowner');
    org = await createOrganization(api, owner.accessToken, 'dbfault');
  });

  afterAll(async () => {
    await stack?.close();
    await mongo?.dispose();
  });

  it('goes unready within 5 s, fails fast, recovers within 10 s and loses no acknowledged write', async () => {
    // A request without an answer by the route timeout (plus scheduling slack) counts as hung.
    const load = startLoad(stack.gatewayUrl, steps, { workers: 4, pauseMs: 50, deadlineMs: ROUTE_TIMEOUT_MS + 3_000 });
    await sleep(1_500);
    await mongo.stop();
    const stoppedAt = Date.now();

    // Readiness of every data service turns 503 within 5 s (the probe's own deadline).
    await Promise.all(
      DATA_SERVICES.map((service) =>
        waitFor(async () => (await readiness(stack.instances(service)[0]!.url)) === 503, { what: `${service} readiness 503`, timeoutMs: 5_000, intervalMs: 100 }),
      ),
    );
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    const restartedAt = Date.now();
    await mongo.start();
    await Promise.all(
      DATA_SERVICES.map((service) =>
        waitFor(async () => (await readiness(stack.instances(service)[0]!.url)) === 200, { what: `${service} readiness 200 again`, timeoutMs: 10_000, intervalMs: 100 }),
      ),
    );
    await waitFor(async () => (await api.get(`/api/v1/organizations/${org.id}`, { token: owner.accessToken })).status === 200, {
      what: 'reads through the gateway again',
      timeoutMs: 10_000,
    });
    await load.stop();
    const outage: Outcome[] = load.outcomes.filter((outcome) => outcome.startedAt >= stoppedAt && outcome.startedAt < restartedAt);

    // Failing fast: every request during the outage got an answer before the route timeout (no
    // client-side deadline hit), a clean 503 from the service or a 504 from the gateway's
    // deadline, never a 500/502.
    expect(outage.length, JSON.stringify(outage)).toBeGreaterThan(5);
    expect(outage.filter((outcome) => outcome.status === 0), 'requests without an answer').toEqual([]);
    const unclean = outage.filter((outcome) => outcome.status >= 500 && outcome.status !== 503 && outcome.status !== 504);
    expect(unclean, JSON.stringify(summarize(outage).byStatus)).toEqual([]);

    for (const outcome of load.outcomes) if (outcome.status === 201) acknowledged.add(outcome.label.replace('POST binding ', ''));
    expect(writes).toBeGreaterThan(acknowledged.size);
    expect(acknowledged.size).toBeGreaterThan(5);
    const stored = await bindingsOf();
    expect([...acknowledged].filter((userId) => !stored.has(userId)), 'acknowledged bindings missing after recovery').toEqual([]);
  });
});
