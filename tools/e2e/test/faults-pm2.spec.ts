import { freePort, sleep, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { describeFailures, type LoadStep, startLoad } from '../src/load.js';
import { signUp } from '../src/people.js';
import { Pm2 } from '../src/pm2.js';
import { readiness, SERVICES, type Stack, startStack } from '../src/stack.js';
import { mixedSteps, PM2_RELOADS, replacementsTimeoutMs, tokenKeeper } from '../src/steady-load.js';

/**
 * The single-host deployment: every service under pm2 with its ecosystem.config.js definition
 * (cluster mode, wait_ready, kill_timeout), behind the same stable addresses as the other suites.
 */
describe('pm2 reload of every service under steady load', () => {
  const pm2 = new Pm2();
  let stack: Stack;
  let steps: (n: number) => LoadStep;
  let keepSignedIn: () => Promise<void>;

  beforeAll(async () => {
    stack = await startStack();
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (service) => [service, await freePort()] as const)));
    await pm2.start(SERVICES.map((service) => ({ name: service, env: stack.env(service), port: ports[service] })));
    for (const service of SERVICES) {
      const url = `http://127.0.0.1:${ports[service]}`;
      await waitFor(async () => (await readiness(url)) === 200, { what: `${service} under pm2\n${pm2.errors(service)}`, timeoutMs: 90_000, intervalMs: 250 });
      await stack.handOver(service, ports[service]);
    }
    const api = new Api(stack.gatewayUrl);
    const person = await signUp(api, 'pm2');
    keepSignedIn = tokenKeeper(api, person);
    steps = mixedSteps(person, await createOrganization(api, person.accessToken, 'pm2'));
  });

  afterAll(async () => {
    await pm2.kill();
    await stack?.close();
  });

  it(`loses no request over ${PM2_RELOADS} reloads of each service`, async () => {
    const load = startLoad(stack.gatewayUrl, steps);
    const notReplaced: string[] = [];
    const windows: { service: string; from: number; to: number }[] = [];
    for (const service of SERVICES) {
      for (let round = 0; round < PM2_RELOADS; round++) {
        const before = await pm2.pids(service);
        const from = Date.now();
        await pm2.reload(service);
        windows.push({ service, from, to: Date.now() });
        const after = await pm2.pids(service);
        if (after.length !== before.length || after.some((pid) => before.includes(pid))) notReplaced.push(`${service}: ${before} → ${after}`);
        await keepSignedIn();
        await sleep(300);
      }
    }
    const summary = await load.stop();

    expect(notReplaced, 'every reload replaces every worker').toEqual([]);
    // The load really ran across each reload, not only between them: some request was in flight.
    const idle = windows.filter(
      ({ from, to }) => !load.outcomes.some((outcome) => outcome.startedAt <= to && outcome.startedAt + outcome.durationMs >= from),
    );
    expect(idle.map(({ service }) => service)).toEqual([]);
    expect(summary.total).toBeGreaterThan(100);
    expect(summary.failures, `${describeFailures(summary)}\n${SERVICES.map((service) => pm2.errors(service)).join('\n')}`).toEqual([]);
  }, replacementsTimeoutMs(PM2_RELOADS * SERVICES.length));
});
