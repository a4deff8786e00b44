import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HttpMetrics } from '@dentalos/metrics';
import type { FastifyInstance } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { BaseEnv } from './config/base.env.js';
import { ConfigError, type EnvClass, type EnvSource, loadConfig } from './config/config.loader.js';
import { currentConfigSource, withConfigSource } from './config/config-source.js';
import { ProblemDto } from './http/problem.dto.js';
import { DOCS_PATH, installRequestHooks } from './http/request-hooks.js';
import { REQUEST_ID_HEADER, requestIdFor } from './http/request-id.js';
import { RequestLog } from './logging/request-log.js';
import { IdleConnectionCloser } from './lifecycle/idle-connections.js';
import { OneShotCommands, requestedCommand, UnknownCommandError } from './lifecycle/one-shot-commands.js';
import { ShutdownState } from './lifecycle/shutdown-state.js';
import { createValidationPipe } from './validation/validation.pipe.js';

export interface BootstrapOptions<T extends BaseEnv> {
  config: EnvClass<T>;
  /** Swagger document title and description. */
  title: string;
  description?: string;
  version?: string;
  /** Variables to read instead of the process environment (tests). */
  env?: EnvSource;
  /** Extra Fastify setup before routes are registered (e.g. the gateway's proxy). */
  configureFastify?: (fastify: FastifyInstance, app: NestFastifyApplication, env: T) => Promise<void> | void;
}

export interface CreatedApp<T extends BaseEnv> {
  app: NestFastifyApplication;
  env: T;
}

function createAdapter(env: BaseEnv): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false,
    requestIdHeader: false,
    genReqId: requestIdFor,
    // Requests on kept-alive sockets during shutdown are served, not answered 503; idle sockets
    // are closed by shutDownGracefully once the listener is closed, not at the same instant.
    return503OnClosing: false,
    forceCloseConnections: false,
    requestTimeout: env.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: env.KEEP_ALIVE_TIMEOUT_MS,
    logger: false,
  });
}

function setUpSwagger(app: INestApplication, options: Pick<BootstrapOptions<BaseEnv>, 'title' | 'description' | 'version'>): void {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setVersion(options.version ?? '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer');
  if (options.description) builder.setDescription(options.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemDto] });
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: 'api-docs-json', yamlDocumentUrl: 'api-docs-yaml' });
}

/**
 * Builds a fully configured, initialised app without listening: the one pipeline every service
 * and every integration test runs.
 */
export async function createApp<T extends BaseEnv>(
  appModule: Type<unknown>,
  options: BootstrapOptions<T>,
): Promise<CreatedApp<T>> {
  const source = options.env ?? currentConfigSource();
  const env = loadConfig(options.config, source);
  const adapter = createAdapter(env);
  const app = await withConfigSource(source, () =>
    NestFactory.create<NestFastifyApplication>(appModule, adapter, { bufferLogs: true, abortOnError: false }),
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  installRequestHooks(fastify, { shutdown: app.get(ShutdownState), metrics: app.get(HttpMetrics), log: new RequestLog(PinoLogger.root) });
  if (env.CORS_ORIGINS.length > 0) app.enableCors({ origin: env.CORS_ORIGINS, credentials: true, exposedHeaders: [REQUEST_ID_HEADER] });
  app.useGlobalPipes(createValidationPipe());
  await options.configureFastify?.(fastify, app, env);
  setUpSwagger(app, options);
  await app.init();
  return { app, env };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM: readiness turns 503 at once while the listener keeps serving for the drain window,
 * then the server stops accepting, in-flight requests finish and connections close.
 */
export async function shutDownGracefully(
  app: NestFastifyApplication,
  env: BaseEnv,
  signal: string,
  idleConnections = new IdleConnectionCloser(app.getHttpServer()),
): Promise<void> {
  const logger = app.get(Logger);
  app.get(ShutdownState).beginDraining();
  logger.log(`${signal} received: draining for ${env.SHUTDOWN_DRAIN_MS} ms`, 'Shutdown');
  const deadline = setTimeout(() => {
    logger.error(`shutdown exceeded ${env.SHUTDOWN_TIMEOUT_MS} ms; exiting`, 'Shutdown');
    process.exit(1);
  }, env.SHUTDOWN_DRAIN_MS + env.SHUTDOWN_TIMEOUT_MS);
  deadline.unref();
  await sleep(env.SHUTDOWN_DRAIN_MS);
  const stopSweeping = idleConnections.start();
  try {
    await app.close();
  } finally {
    stopSweeping();
  }
  logger.log('shutdown complete', 'Shutdown');
}

/** Runs one registered operational command against a created app; the process's exit code. */
export async function runOneShotCommand(app: INestApplication, name: string): Promise<number> {
  try {
    process.stdout.write(`${await app.get(OneShotCommands).run(name)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`--${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UnknownCommandError ? 64 : 1; // EX_USAGE
  } finally {
    await app.close();
  }
}

/**
 * What each `main.ts` calls: create, listen, tell pm2 we are ready, handle signals; or, with
 * `--<command>` on the command line, run that command once and exit.
 */
export async function bootstrap<T extends BaseEnv>(appModule: Type<unknown>, options: BootstrapOptions<T>): Promise<NestFastifyApplication> {
  let created: CreatedApp<T>;
  try {
    created = await createApp(appModule, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const { app, env } = created;
  const command = requestedCommand();
  if (command) process.exit(await runOneShotCommand(app, command));
  const idleConnections = new IdleConnectionCloser(app.getHttpServer());
  await app.listen({ port: env.PORT, host: env.HOST });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      shutDownGracefully(app, env, signal, idleConnections).then(
        () => process.exit(0),
        (error: unknown) => {
          app.get(Logger).error({ err: error }, 'shutdown failed', 'Shutdown');
          process.exit(1);
        },
      );
    });
  }
  if (process.send) {
    await untilDependenciesReady(app.getHttpAdapter().getInstance());
    process.send('ready');
  }
  return app;
}

const READINESS_PATH = '/health/readiness';
/** Below pm2's listen_timeout: with the database down, the old worker serves this long before pm2 gives up waiting. */
const READY_SIGNAL_WAIT_MS = 10_000;

/**
 * pm2 sends traffic to a new worker, and stops the old one, as soon as it says ready. The
 * database connection opens in the background (a service must start while the database is down),
 * so the signal waits for the service's own readiness check, asked in-process. A service without
 * one (404) is ready once it listens.
 */
async function untilDependenciesReady(fastify: FastifyInstance): Promise<void> {
  const deadline = Date.now() + READY_SIGNAL_WAIT_MS;
  while (Date.now() < deadline) {
    const { statusCode } = await fastify.inject({ method: 'GET', url: READINESS_PATH });
    if (statusCode === 200 || statusCode === 404) return;
    await sleep(25);
  }
}
