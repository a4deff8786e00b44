import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedProcess, freePort, spawnManaged, testDatabaseUri, testKeyPrefix, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './support.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const APP = 'enterprise';
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/** The runtime stage's ENTRYPOINT and CMD, as exec-form JSON arrays. */
function execForm(instruction: string): string[] {
  const line = dockerfile.split('\n').find((candidate) => candidate.startsWith(`${instruction} [`));
  if (!line) throw new Error(`no exec-form ${instruction} in the Dockerfile`);
  return JSON.parse(line.slice(instruction.length + 1)) as string[];
}

describe('Dockerfile', () => {
  it('pins an exact Node 22 LTS slim image and builds any app through one script', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22\.\d+\.\d+-bookworm-slim$/m);
    expect(dockerfile).toContain('RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch');
    expect(dockerfile).toContain('pnpm install --offline --frozen-lockfile');
    expect(dockerfile).toContain('sh tools/ops/docker/build-app.sh "$APP" /out');
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "\/app\/healthcheck\.mjs"\]$/m);
    expect(execForm('ENTRYPOINT')).toEqual(['/usr/bin/tini', '--', '/app/docker-entrypoint.sh']);
  });

  it('keeps secrets, dependencies and build output out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.env', '.env.*', '.data', '.tools']));
  });
});

describe('docker-entrypoint.sh sizes the heap from the container memory limit', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ops-heap-'));
    writeFileSync(join(work, 'heap.js'), 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const heapLimitMb = (env: NodeJS.ProcessEnv) => {
    const result = run('sh', [join(ROOT, 'tools/ops/docker/docker-entrypoint.sh'), join(work, 'heap.js')], {
      env: { PATH: process.env.PATH, ...env },
    });
    expect(result.stderr).toBe('');
    return Number(result.stdout.trim()) / 1024 / 1024;
  };

  it('takes 75 % of a cgroup v2 memory.max', () => {
    mkdirSync(join(work, 'v2'), { recursive: true });
    writeFileSync(join(work, 'v2/memory.max'), `${512 * 1024 * 1024}\n`);
    const heap = heapLimitMb({ CGROUP_ROOT: join(work, 'v2') });
    // V8 adds its young generation to the old-space limit, so the total is a little above 384.
    expect(heap).toBeGreaterThanOrEqual(384);
    expect(heap).toBeLessThan(384 + 64);
  });

  it('takes the limit from CONTAINER_MEMORY_LIMIT_BYTES (the Deployment sets it) before the cgroup', () => {
    const heap = heapLimitMb({ CONTAINER_MEMORY_LIMIT_BYTES: String(1024 * 1024 * 1024), CGROUP_ROOT: join(work, 'v2') });
    expect(heap).toBeGreaterThanOrEqual(768);
    expect(heap).toBeLessThan(768 + 64);
  });

  it('leaves Node alone without a limit, and respects an explicit --max-old-space-size', () => {
    mkdirSync(join(work, 'unlimited'), { recursive: true });
    writeFileSync(join(work, 'unlimited/memory.max'), 'max\n');
    const unlimited = heapLimitMb({ CGROUP_ROOT: join(work, 'unlimited') });
    const explicit = heapLimitMb({ CGROUP_ROOT: join(work, 'v2'), NODE_OPTIONS: '--max-old-space-size=200' });
    expect(explicit).toBeLessThan(200 + 64);
    expect(unlimited).toBeGreaterThan(explicit);
  });
});

describe(`the image's build steps produce a runnable ${APP}`, () => {
  let out: string;
  let app: ManagedProcess | undefined;
  let port: number;

  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ops-image-'));
    chmodSync(parent, 0o755);
    out = join(parent, 'app');
    // The very script the Dockerfile's build stage runs: nx build, pnpm deploy --prod, prune.
    const build = run('sh', [join(ROOT, 'tools/ops/docker/build-app.sh'), APP, out]);
    if (build.status !== 0) throw new Error(`build-app.sh failed:\n${build.stdout}\n${build.stderr}`);
    port = await freePort();
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(join(out, '..'), { recursive: true, force: true });
  });

  it('contains compiled code and production dependencies only', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(`@dentalos/${APP}`);
    expect(readFileSync(join(out, 'dist/bundle/main.js'), 'utf8')).toContain('bootstrap');
    expect(run('ls', [join(out, 'node_modules/@dentalos')]).stdout).not.toContain('testing');
    for (const devOnly of ['vitest', 'typescript', 'eslint', 'nx']) {
      expect(run('ls', [join(out, 'node_modules', devOnly)]).status, devOnly).not.toBe(0);
    }
    expect(run('ls', [join(out, 'test')]).status).not.toBe(0);
  });

  it('boots as an unprivileged user from root-owned files to a green readiness probe, then stops cleanly', async () => {
    // Like the container: uid 10001-style non-root user, code it cannot write, the entrypoint
    // script exec-ing node, configuration from the environment only.
    app = spawnManaged('setpriv', [...NOBODY, join(out, 'docker-entrypoint.sh'), 'dist/bundle/main.js'], {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      APP,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CONTAINER_MEMORY_LIMIT_BYTES: String(512 * 1024 * 1024),
      MONGODB_URI: testDatabaseUri('ops_image'),
      REDIS_KEY_PREFIX: testKeyPrefix('ops_image'),
    });
    // The image's own HEALTHCHECK command.
    const healthcheck = () => run('setpriv', [...NOBODY, 'node', join(out, 'healthcheck.mjs')], { env: { PATH: process.env.PATH, APP, PORT: String(port) } });
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/readiness`).catch(() => undefined))?.status === 200;
    await waitFor(ready, { timeoutMs: 90_000, intervalMs: 500, what: `${APP} readiness\n${app.output()}` });
    expect(healthcheck().status).toBe(0);
    expect(app.output()).not.toMatch(/EACCES|EROFS/);
    app.signal('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(healthcheck().status).toBe(1);
  });
});
