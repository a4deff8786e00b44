import type { Type } from '@nestjs/common';
import type { BaseEnv, BootstrapOptions, EnvSource } from '@dentalos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.js';
import { waitFor } from './wait.js';

/**
 * The operational contract every service keeps (health, metrics, Swagger, problem+json), checked
 * against the service's real module and real dependencies.
 */
export function describeServiceContract<T extends BaseEnv>(
  service: string,
  appModule: Type<unknown>,
  options: BootstrapOptions<T>,
  env: () => EnvSource,
): void {
  describe(`${service} service contract`, () => {
    let app: TestApp<T>;
    beforeAll(async () => {
      app = await startTestApp(appModule, options, env());
    });
    afterAll(() => app?.close());

    it('is live and started at once, and ready once its connections are up', async () => {
      for (const probe of ['liveness', 'startup']) {
        expect((await fetch(`${app.url}/health/${probe}`)).status, probe).toBe(200);
      }
      await waitFor(async () => (await fetch(`${app.url}/health/readiness`)).status === 200, { what: `${service} readiness` });
    });

    it('exports metrics labelled with the service name', async () => {
      await fetch(`${app.url}/health/liveness`);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toContain(`http_server_requests_total{method="GET",route="/health/liveness",status_code="200",service="${service}"}`);
      expect(metrics).toContain('nodejs_eventloop_lag_p99_seconds');
      if (metrics.includes('mongodb_command_duration_seconds')) {
        expect(metrics).toMatch(/mongodb_command_duration_seconds_count\{[^}]*command="\w+"[^}]*\} \d+/);
      }
    });

    it('serves its OpenAPI document and Swagger UI', async () => {
      const spec = (await (await fetch(`${app.url}/api-docs-json`)).json()) as { info: { title: string }; openapi: string };
      expect(spec.info.title).toBe(options.title);
      expect(spec.openapi).toMatch(/^3\./);
      expect((await fetch(`${app.url}/api-docs`)).status).toBe(200);
    });

    it('answers unknown routes with problem+json', async () => {
      const response = await fetch(`${app.url}/api/v1/does-not-exist`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: expect.any(String) });
    });
  });
}
