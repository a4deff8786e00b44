import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort, type PrivateServer, privateFerretDb, REPO_ROOT, sleep, TEST_REDIS_URL, testKeyPrefix, waitFor } from '@dentalos/testing';
import { afterAll, describe, expect, it } from 'vitest';

const status = async (url: string) => (await fetch(url)).status;

describe("the 'ready' message to a process manager (pm2)", () => {
  let database: PrivateServer | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await database?.dispose();
  });

  it('waits until the database answers, while the service already listens', async () => {
    database = await privateFerretDb();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let output = '';
    child = spawn(process.execPath, ['--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', join(import.meta.dirname, 'fixtures/health-app.main.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        MONGODB_URI: `${database.url}/ready_signal`,
        MONGODB_SERVER_SELECTION_TIMEOUT_MS: '500',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: testKeyPrefix('ready_signal'),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let readyAt: number | undefined;
    child.on('message', (message) => {
      if (message === 'ready') readyAt ??= Date.now();
    });

    await waitFor(async () => (await status(`${base}/health/liveness`)) === 200, { what: 'listening', timeoutMs: 45_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    await sleep(1_500);
    expect(await status(`${base}/health/readiness`)).toBe(503);
    expect(readyAt, 'ready sent while the database is down').toBeUndefined();

    const started = Date.now();
    await database.start();
    await Promise.race([once(child, 'message'), sleep(15_000)]);
    expect(readyAt, `no ready message after the database came up\n${output}`).toBeGreaterThanOrEqual(started);
    expect(await status(`${base}/health/readiness`)).toBe(200);
  });
});
