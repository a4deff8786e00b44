import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, testDatabaseUri, testKeyPrefix, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './support.js';

const require = createRequire(import.meta.url);
const PM2 = join(ROOT, 'node_modules/.bin/pm2');

interface AppConfig {
  name: string;
  exec_mode: string;
  instances: number;
  kill_timeout: number;
  wait_ready: boolean;
  listen_timeout: number;
  max_memory_restart: string;
  out_file: string;
  error_file: string;
  env: Record<string, string>;
}

const ecosystem = require(join(ROOT, 'ecosystem.config.js')) as { apps: AppConfig[] };
const RELOADED = ['gateway', 'enterprise'];
const execFileAsync = promisify(execFile);

describe('ecosystem.config.js', () => {
  it('runs every app in cluster mode with ready-wait, a memory limit and log files', () => {
    expect(ecosystem.apps.map((app) => app.name).sort()).toEqual(['enterprise', 'gateway', 'notification', 'user']);
    for (const app of ecosystem.apps) {
      expect(app.exec_mode, app.name).toBe('cluster');
      expect(app.wait_ready).toBe(true);
      expect(app.listen_timeout).toBeGreaterThanOrEqual(15_000);
      expect(app.max_memory_restart).toMatch(/^\d+M$/);
      expect(app.out_file).toContain(`${app.name}.out.log`);
      expect(app.error_file).toContain(`${app.name}.err.log`);
      // pm2 must never SIGKILL an app still inside its own drain + shutdown window.
      expect(app.kill_timeout).toBeGreaterThan(Number(app.env.SHUTDOWN_DRAIN_MS) + Number(app.env.SHUTDOWN_TIMEOUT_MS));
    }
    expect(ecosystem.apps.find((app) => app.name === 'gateway')!.instances).toBe(2);
  });
});

describe('pm2 reload under steady load', () => {
  const home = mkdtempSync(join(tmpdir(), 'ops-pm2-'));
  const env = { ...process.env, PM2_HOME: home };
  const ports: Record<string, number> = {};
  const pm2 = (...args: string[]) => run(PM2, args, { env });
  const pids = (name: string): number[] => {
    const list = JSON.parse(pm2('jlist').stdout) as { name: string; pid: number; pm2_env: { status: string } }[];
    return list.filter((proc) => proc.name === name && proc.pm2_env.status === 'online').map((proc) => proc.pid).sort();
  };

  beforeAll(async () => {
    for (const name of RELOADED) {
      const build = run(join(ROOT, 'node_modules/.bin/nx'), ['run', `${name}:build`, '--outputStyle=static'], { env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' } });
      if (build.status !== 0) throw new Error(`${name} build failed:\n${build.stdout}\n${build.stderr}`);
      ports[name] = await freePort();
    }
    // The real app definitions, on free ports, with their own data and log files.
    const apps = ecosystem.apps
      .filter((app) => RELOADED.includes(app.name))
      .map((app) => ({
        ...app,
        out_file: join(home, `${app.name}.out.log`),
        error_file: join(home, `${app.name}.err.log`),
        env: {
          ...app.env,
          PORT: String(ports[app.name]),
          LOG_LEVEL: 'warn',
          REDIS_KEY_PREFIX: testKeyPrefix(`ops_pm2_${app.name}`),
          MONGODB_URI: testDatabaseUri(`ops_pm2_${app.name}`),
        },
      }));
    writeFileSync(join(home, 'apps.json'), JSON.stringify({ apps }));
    const started = pm2('start', join(home, 'apps.json'));
    if (started.status !== 0) throw new Error(started.stderr);
    for (const name of RELOADED) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${ports[name]}/health/readiness`)).ok, { timeoutMs: 90_000, what: `${name} ready` });
    }
  });

  afterAll(() => {
    pm2('kill');
    rmSync(home, { recursive: true, force: true });
  });

  it("writes each app's log lines to its own out_file, where `pm2 logs` reads them", async () => {
    const response = await fetch(`http://127.0.0.1:${ports.enterprise}/api/v1/organizations`, { headers: { 'x-request-id': 'ops-pm2-log-12345' } });
    expect(response.status).toBe(401);
    const outFile = join(home, 'enterprise.out.log');
    await waitFor(() => existsSync(outFile) && readFileSync(outFile, 'utf8').includes('"requestId":"ops-pm2-log-12345"'), { what: 'the request line in enterprise.out.log' });
  });

  it.each(RELOADED)('`pm2 reload %s` replaces every worker with no refused connection, reset or error answer', async (name) => {
    const before = pids(name);
    expect(before.length).toBe(ecosystem.apps.find((app) => app.name === name)!.instances);
    const url = `http://127.0.0.1:${ports[name]}/health/liveness`;
    const failures: string[] = [];
    let served = 0;
    let loading = true;
    // Eight clients with keep-alive connections, back to back, for the whole reload.
    const clients = Array.from({ length: 8 }, async () => {
      while (loading) {
        try {
          const response = await fetch(url);
          await response.arrayBuffer();
          if (response.status === 200) served += 1;
          else failures.push(`status ${response.status}`);
        } catch (error) {
          failures.push(String((error as Error).cause ?? error));
        }
      }
    });
    await waitFor(() => served > 50, { what: 'load running' });
    // Asynchronous, so the clients keep sending for the whole reload.
    const servedAtReloadStart = served;
    const reload = await execFileAsync(PM2, ['reload', name], { env }).then(
      () => ({ status: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ status: error.code ?? -1, stderr: error.stderr ?? '' }),
    );
    const servedAtReloadEnd = served;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    loading = false;
    await Promise.all(clients);

    expect(reload.status, reload.stderr).toBe(0);
    const after = pids(name);
    expect(after.length).toBe(before.length);
    for (const pid of after) expect(before).not.toContain(pid);
    // Requests were answered while the workers were being replaced, not only before and after.
    expect(servedAtReloadEnd - servedAtReloadStart).toBeGreaterThan(0);
    // No refused connection (the listener hand-over has no gap), no socket reset before its
    // response (idle sockets are closed only once quiet), no 5xx/503 answer.
    const tally: Record<string, number> = {};
    for (const failure of failures) tally[failure] = (tally[failure] ?? 0) + 1;
    expect(tally, `${served} requests served`).toEqual({});
  });
});
