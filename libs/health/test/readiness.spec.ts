import { type PrivateServer, privateFerretDb, privateRedis, startTestApp, type TestApp, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthAppModule, healthAppOptions, type HealthFixtureEnv } from './fixtures/health-app.module.js';

const status = async (url: string) => (await fetch(url)).status;

describe('readiness follows the database without a restart', () => {
  let database: PrivateServer;
  let redis: PrivateServer;
  let app: TestApp<HealthFixtureEnv>;

  beforeAll(async () => {
    database = await privateFerretDb();
    redis = await privateRedis();
    await redis.start();
    // The database is down when the service starts.
    app = await startTestApp(HealthAppModule, healthAppOptions, {
      MONGODB_URI: `${database.url}/readiness`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '500',
      REDIS_URL: redis.url,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    await redis?.dispose();
  });

  it('starts with the database down: live, started, not ready', async () => {
    expect(await status(`${app.url}/health/liveness`)).toBe(200);
    expect(await status(`${app.url}/health/startup`)).toBe(200);
    const readiness = await fetch(`${app.url}/health/readiness`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'error', error: { mongodb: { status: 'down' } } });
  });

  it('turns ready once the database answers', async () => {
    await database.start();
    await waitFor(async () => (await status(`${app.url}/health/readiness`)) === 200, { what: 'readiness 200', timeoutMs: 30_000 });
    const body = await (await fetch(`${app.url}/health/readiness`)).json();
    expect(body).toMatchObject({ status: 'ok', details: { mongodb: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('stays ready but reports degraded while Redis is down', async () => {
    await redis.stop();
    const response = await fetch(`${app.url}/health/readiness`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ details: { redis: { status: 'up', degraded: true } } });
    expect(await status(`${app.url}/health/liveness`)).toBe(200);
  });

  it('goes not ready when the database stops, and recovers when it returns', async () => {
    await database.stop();
    await waitFor(async () => (await status(`${app.url}/health/readiness`)) === 503, { what: 'readiness 503' });
    await database.start();
    await waitFor(async () => (await status(`${app.url}/health/readiness`)) === 200, { what: 'readiness 200 again', timeoutMs: 30_000 });
  });
});
