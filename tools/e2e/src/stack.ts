import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isListening, type ManagedProcess, REPO_ROOT, spawnManaged, TEST_MONGODB_URL, TEST_REDIS_URL, uniqueName, waitFor } from '@dentalos/testing';
import { Balancer } from './balancer.js';
import { generateSecrets, type StackSecrets } from './secrets.js';
import { acquireStackLock } from './stack-lock.js';

export const SERVICES = ['user', 'notification', 'enterprise', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const UPSTREAMS = ['user', 'notification', 'enterprise'] as const;

/** MailDev from scripts/infra.sh: SMTP for the notification service, REST API for assertions. */
export const MAILDEV_SMTP_URL = process.env.E2E_SMTP_URL ?? 'smtp://127.0.0.1:1025';
export const MAILDEV_API_URL = process.env.E2E_MAILDEV_URL ?? 'http://127.0.0.1:1080';

export interface StackOptions {
  /** Redis for every service (a private one for fault tests); the shared local one otherwise. */
  redisUrl?: string;
  /** MongoDB server (no database name) for every service; the shared local one otherwise. */
  mongoUrl?: string;
  /** Extra variables per service, e.g. shorter breaker windows for a fault test. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}

export interface Instance {
  readonly port: number;
  readonly url: string;
  readonly process: ManagedProcess;
}

export interface Stack {
  /** Run id: databases are e2e_<run>_<service>, Redis keys e2e_<run>_<service>:. */
  readonly run: string;
  readonly secrets: StackSecrets;
  /** The stable address of each service (its balancer), as a Kubernetes Service would give. */
  url(service: ServiceName): string;
  readonly gatewayUrl: string;
  databaseUri(service: Exclude<ServiceName, 'gateway'>): string;
  keyPrefix(service: ServiceName): string;
  instances(service: ServiceName): readonly Instance[];
  /** The environment an instance of the service runs with, PORT excepted. */
  env(service: ServiceName): Record<string, string>;
  /**
   * Puts an endpoint started outside the stack (e.g. under pm2) into the service's rotation,
   * then retires the stack's own instances of it with SIGTERM.
   */
  handOver(service: ServiceName, port: number): Promise<void>;
  /** Starts a replacement, waits for its readiness, then SIGTERMs the old one; resolves with the old one's exit code. */
  rollingRestart(service: ServiceName): Promise<number | string>;
  /** Ends every instance of a service (SIGKILL = a crash; SIGTERM = a clean stop). */
  stopService(service: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  startService(service: ServiceName): Promise<Instance>;
  /** Recent output of every instance of a service, for failure messages. */
  logs(service: ServiceName): string;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;

function assertBuilt(): void {
  const missing = SERVICES.filter((service) => !existsSync(join(REPO_ROOT, `apps/${service}/dist/bundle/main.js`)));
  if (missing.length > 0) {
    throw new Error(`apps not built (${missing.join(', ')}): run \`pnpm exec nx run-many -t build\` before the e2e suites`);
  }
}

async function ensureMailDev(): Promise<void> {
  if (await isListening(Number(new URL(MAILDEV_SMTP_URL).port))) return;
  execFileSync('bash', [join(REPO_ROOT, 'scripts/infra.sh'), 'up'], { stdio: 'inherit' });
}

export async function readiness(url: string): Promise<number> {
  try {
    const response = await fetch(`${url}/health/readiness`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Starts the four built services (`node apps/<app>/dist/bundle/main.js`) as child processes, each on
 * its own free port behind a balancer, with fresh databases, Redis key prefixes and secrets,
 * wired to each other as the README's stack is; resolves once every readiness probe is green.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  assertBuilt();
  const release = await acquireStackLock();
  try {
    await ensureMailDev();
    return await launch(options, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function launch(options: StackOptions, release: () => void): Promise<Stack> {
  const run = uniqueName('e2e').toLowerCase();
  const secrets = generateSecrets();
  const mongoUrl = (options.mongoUrl ?? TEST_MONGODB_URL).replace(/\/$/, '');
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const balancers = new Map<ServiceName, Balancer>();
  for (const service of SERVICES) {
    const balancer = new Balancer(await freePort());
    await balancer.listen();
    balancers.set(service, balancer);
  }
  const instances = new Map<ServiceName, Instance[]>(SERVICES.map((service) => [service, []]));
  const ended: ManagedProcess[] = [];
  const url = (service: ServiceName) => `http://127.0.0.1:${balancers.get(service)!.port}`;
  const keyPrefix = (service: ServiceName) => `${run}_${service}:`;
  // Streams are shared by producers and consumers, so one namespace per stack run, not per service.
  const streamPrefix = `${run}_`;
  const databaseUri = (service: ServiceName) => `${mongoUrl}/${run}_${service}`;

  const common = (service: ServiceName): Record<string, string> => ({
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix(service),
    EVENT_STREAM_PREFIX: streamPrefix,
    JWKS_URL: `${url('user')}/.well-known/jwks.json`,
    SHUTDOWN_DRAIN_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '10000',
  });
  const data = (service: ServiceName) => ({ ...common(service), MONGODB_URI: databaseUri(service), MONGODB_SYNC_INDEXES: 'true' });
  const envFor: Record<ServiceName, () => Record<string, string>> = {
    user: () => ({
      ...data('user'),
      JWT_SIGNING_KEYS: secrets.JWT_SIGNING_KEYS,
      EVENT_SEALING_KEY: secrets.EVENT_SEALING_KEY,
      // The cheapest Argon2id the service accepts: suites sign up dozens of people on two shared cores.
      ARGON2_MEMORY_KIB: '8192',
      ARGON2_TIME_COST: '1',
    }),
    notification: () => ({
      ...data('notification'),
      EVENT_SEALING_KEY: secrets.EVENT_SEALING_KEY,
      WEBHOOK_SECRET: secrets.WEBHOOK_SECRET,
      SMTP_URL: MAILDEV_SMTP_URL,
      APP_BASE_URL: url('gateway'),
      EVENTS_USER_STREAM: `${streamPrefix}events.user`,
      EVENTS_ENTERPRISE_STREAM: `${streamPrefix}events.enterprise`,
      EVENTS_CONSUMER_NAME: `${run}-notification`,
      EVENTS_CLAIM_IDLE_MS: '2000',
      DELIVERY_RETRY_DELAYS_MS: '200,500,1000',
    }),
    enterprise: () => data('enterprise'),
    gateway: () => ({
      ...common('gateway'),
      GATEWAY_UPSTREAMS: UPSTREAMS.map((name) => `${name}=${url(name)}`).join(','),
      // Every request of a suite comes from 127.0.0.1: per-IP limits stay out of the way unless a test sets its own.
      RATE_LIMIT_PER_IP: '1000000',
      RATE_LIMIT_PER_USER: '1000000',
      RATE_LIMIT_ROUTES: 'POST /api/v1/auth/password-reset/request=1000/60',
      API_DOCS_CACHE_TTL_MS: '1000',
      // CI shares two cores between this stack and its load: attempts get more room than in production.
      UPSTREAM_TRY_TIMEOUT_MS: '10000',
      UPSTREAM_ROUTE_TIMEOUT_MS: '20000',
    }),
  };

  const serviceEnv = (service: ServiceName) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...envFor[service](), ...options.env?.[service] });

  const startService = async (service: ServiceName): Promise<Instance> => {
    const port = await freePort();
    const env = { ...serviceEnv(service), PORT: String(port) };
    const child = spawnManaged(process.execPath, [join(REPO_ROOT, `apps/${service}/dist/bundle/main.js`)], env, REPO_ROOT);
    const instance: Instance = { port, url: `http://127.0.0.1:${port}`, process: child };
    instances.get(service)!.push(instance);
    const exitedEarly = child.exited.then((code) => {
      throw new Error(`${service} exited with ${code} before it was ready:\n${child.output()}`);
    });
    await Promise.race([
      waitFor(async () => (await readiness(instance.url)) === 200, { what: `${service} readiness on ${port}`, timeoutMs: READY_TIMEOUT_MS, intervalMs: 200 }),
      exitedEarly,
    ]).catch((error: Error) => {
      throw new Error(`${error.message}\n${child.output()}`);
    });
    exitedEarly.catch(() => undefined);
    balancers.get(service)!.add(port);
    return instance;
  };

  /** Takes an instance out of rotation the way endpoints controllers do: once its readiness fails. */
  const retire = async (service: ServiceName, instance: Instance, signal: NodeJS.Signals): Promise<number | string> => {
    const balancer = balancers.get(service)!;
    instance.process.signal(signal);
    if (signal === 'SIGKILL') balancer.remove(instance.port);
    else await waitFor(async () => (await readiness(instance.url)) !== 200, { what: `${service} readiness to fail`, timeoutMs: 5_000, intervalMs: 50 }).catch(() => undefined);
    balancer.remove(instance.port);
    const list = instances.get(service)!;
    list.splice(list.indexOf(instance), 1);
    ended.push(instance.process);
    const timer = setTimeout(() => instance.process.signal('SIGKILL'), 20_000);
    try {
      return await instance.process.exited;
    } finally {
      clearTimeout(timer);
    }
  };

  const stack: Stack = {
    run,
    secrets,
    url,
    gatewayUrl: url('gateway'),
    databaseUri,
    keyPrefix,
    instances: (service) => instances.get(service)!,
    env: serviceEnv,
    async handOver(service, port) {
      balancers.get(service)!.add(port);
      await Promise.all([...instances.get(service)!].map((instance) => retire(service, instance, 'SIGTERM')));
    },
    startService,
    async rollingRestart(service) {
      const old = instances.get(service)![0];
      if (!old) throw new Error(`${service} has no running instance`);
      await startService(service);
      return retire(service, old, 'SIGTERM');
    },
    async stopService(service, signal = 'SIGTERM') {
      await Promise.all([...instances.get(service)!].map((instance) => retire(service, instance, signal)));
    },
    logs: (service) => [...instances.get(service)!.map((instance) => instance.process), ...ended].map((process) => process.output()).join('\n'),
    async close() {
      const all = SERVICES.flatMap((service) => instances.get(service)!.map((instance) => instance.process));
      await Promise.all(all.map((process) => process.stop()));
      await Promise.all([...balancers.values()].map((balancer) => balancer.close()));
      release();
    },
  };

  try {
    // The others verify tokens against the user service's JWKS, so it comes first.
    await startService('user');
    await Promise.all([startService('notification'), startService('enterprise')]);
    await startService('gateway');
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
}
