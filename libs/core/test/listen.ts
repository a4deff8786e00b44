import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BaseEnv, type BootstrapOptions, createApp, type EnvSource } from '../src/index.js';

/** The core lib cannot use @dentalos/testing (which builds on it), so it listens by itself. */
export async function listen<T extends BaseEnv>(module: Type<unknown>, options: BootstrapOptions<T>, env: EnvSource) {
  const { app } = await createApp(module, { ...options, env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app: app as NestFastifyApplication, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
