import { sleep, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, type Organization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { describeFailures, type LoadStep, startLoad, summarize } from '../src/load.js';
import { type Person, signUp } from '../src/people.js';
import { SERVICES, type Stack, startStack } from '../src/stack.js';
import { mixedSteps, replacementsTimeoutMs, RESTARTS, tokenKeeper } from '../src/steady-load.js';

/** The gateway's breaker state for an upstream, as its metrics export it (`resilience_circuit_state`). */
async function breakerState(stack: Stack, upstream: string): Promise<string | undefined> {
  const text = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith('resilience_circuit_state{') && new RegExp(`policy="[^"]*${upstream}[^"]*"`).test(entry) && entry.endsWith(' 1'));
  return line ? /state="([^"]+)"/.exec(line)?.[1] : undefined;
}

describe('process faults on the running stack', () => {
  let stack: Stack;
  let person: Person;
  let org: Organization;
  let steps: (n: number) => LoadStep;
  let keepSignedIn: () => Promise<void>;

  beforeAll(async () => {
    stack = await startStack({
      env: { gateway: { UPSTREAM_BREAKER_MIN_CALLS: '5', UPSTREAM_BREAKER_WINDOW_MS: '10000', UPSTREAM_BREAKER_OPEN_MS: '1000' } },
    });
    const api = new Api(stack.gatewayUrl);
    person = await signUp(api, 'load');
    keepSignedIn = tokenKeeper(api, person);
    org = await createOrganization(api, person.accessToken, 'load');
    steps = mixedSteps(person, org);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it(`loses no request over ${RESTARTS} rolling restarts of every service under steady load`, async () => {
    const load = startLoad(stack.gatewayUrl, steps);
    const exits: string[] = [];
    for (const service of SERVICES) {
      for (let round = 0; round < RESTARTS; round++) {
        exits.push(`${service}:${await stack.rollingRestart(service)}`);
        await keepSignedIn();
        await sleep(300);
      }
    }
    const summary = await load.stop();
    expect(exits.every((exit) => exit.endsWith(':0')), exits.join(' ')).toBe(true);
    expect(summary.total).toBeGreaterThan(100);
    expect(summary.failures, describeFailures(summary)).toEqual([]);
  }, replacementsTimeoutMs(RESTARTS * SERVICES.length));

  it('opens the breaker of a killed upstream, keeps the others serving, closes it after recovery', async () => {
    await stack.stopService('enterprise', 'SIGKILL');
    const load = startLoad(stack.gatewayUrl, steps, { workers: 4, pauseMs: 20 });
    // Open in the metrics and seen by a client: the gauge can flip before the first fast 503 is answered.
    const openSeen = () => load.outcomes.some((outcome) => outcome.code === 'UPSTREAM_CIRCUIT_OPEN');
    await waitFor(async () => openSeen() && (await breakerState(stack, 'enterprise')) === 'open', { what: 'the enterprise breaker to open', timeoutMs: 20_000 }).catch(
      (error: Error) => {
        const slowest = Math.max(...load.outcomes.map((outcome) => outcome.durationMs));
        throw new Error(`${error.message}; outcomes so far: ${JSON.stringify(summarize(load.outcomes).byStatus)}, slowest ${slowest} ms`);
      },
    );
    const during = [...load.outcomes];
    await stack.startService('enterprise');
    await waitFor(async () => (await breakerState(stack, 'enterprise')) === 'closed', { what: 'the enterprise breaker to close', timeoutMs: 30_000 });
    const settled = load.outcomes.length;
    await sleep(2_000);
    const summary = await load.stop();

    const enterpriseDuring = during.filter((outcome) => outcome.label.startsWith('enterprise'));
    const othersDuring = during.filter((outcome) => !outcome.label.startsWith('enterprise'));
    expect(enterpriseDuring.length).toBeGreaterThan(0);
    expect(enterpriseDuring.every((outcome) => outcome.status === 502 || outcome.status === 503), JSON.stringify(enterpriseDuring.slice(0, 5))).toBe(true);
    expect(enterpriseDuring.some((outcome) => outcome.code === 'UPSTREAM_CIRCUIT_OPEN'), JSON.stringify(summarize(during).byStatus)).toBe(true);
    expect(othersDuring.filter((outcome) => outcome.status !== 200), 'user and notification while enterprise is down').toEqual([]);
    const after = load.outcomes.slice(settled);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((outcome) => outcome.status !== 200), describeFailures(summary)).toEqual([]);
  });
});
