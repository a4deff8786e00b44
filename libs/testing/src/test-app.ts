import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BaseEnv, type BootstrapOptions, createApp, type EnvSource } from '@dentalos/core';

export interface TestApp<T extends BaseEnv> {
  app: NestFastifyApplication;
  env: T;
  /** Base URL of the real listening server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

/** Variables that keep test output readable; tests add their database and key prefix. */
export const QUIET_ENV: EnvSource = { LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '0' };

/** Runs the real bootstrap pipeline and listens on a free loopback port. */
export async function startTestApp<T extends BaseEnv>(
  appModule: Type<unknown>,
  options: BootstrapOptions<T>,
  env: EnvSource = {},
): Promise<TestApp<T>> {
  const created = await createApp(appModule, { ...options, env: { ...process.env, ...QUIET_ENV, PORT: '0', ...env } });
  await created.app.listen({ port: 0, host: '127.0.0.1' });
  const address = created.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...created,
    url: `http://127.0.0.1:${port}`,
    close: () => created.app.close(),
  };
}
