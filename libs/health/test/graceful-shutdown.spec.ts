import { freePort, spawnTsProcess, testDatabaseUri, testKeyPrefix, waitFor } from '@dentalos/testing';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('SIGTERM', () => {
  it('lets an in-flight request finish with 200 while readiness already answers 503, then exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const service = spawnTsProcess(join(import.meta.dirname, 'fixtures/health-app.main.ts'), {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MONGODB_URI: testDatabaseUri('shutdown'),
      REDIS_KEY_PREFIX: testKeyPrefix('shutdown'),
      SHUTDOWN_DRAIN_MS: '1000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    try {
      await waitFor(async () => (await fetch(`${base}/health/readiness`)).status === 200, { what: 'fixture ready', timeoutMs: 45_000 }).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${service.output()}`);
        },
      );
      const slow = fetch(`${base}/api/v1/slow`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      service.signal('SIGTERM');
      await waitFor(async () => (await fetch(`${base}/health/readiness`)).status === 503, { what: 'readiness 503', timeoutMs: 900, intervalMs: 20 });
      const finished = await slow;
      expect(finished.status).toBe(200);
      expect(await finished.json()).toEqual({ finished: true });
      expect(await service.exited, service.output()).toBe(0);
    } finally {
      await service.stop();
    }
  });
});
