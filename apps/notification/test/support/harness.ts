import { randomBytes } from 'node:crypto';
import { type EnvSource } from '@dentalos/core';
import { startTestApp, startTestTokenIssuer, type TestApp, type TestTokenIssuer, testDatabaseUri, testKeyPrefix, uniqueName, waitFor } from '@dentalos/testing';
import { AppModule } from '../../src/app.module.js';
import { appOptions } from '../../src/app.options.js';
import type { NotificationEnv } from '../../src/config/notification.env.js';
import { fcmSent, type HttpProvider, startHttpProvider, twilioCreated } from './http-provider.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export interface Harness {
  app: TestApp<NotificationEnv>;
  url: string;
  env: EnvSource;
  smtp: SmtpSink;
  twilio: HttpProvider;
  fcm: HttpProvider;
  issuer: TestTokenIssuer;
  adminToken: string;
  close(): Promise<void>;
}

/** Everything a test needs except the app: sinks, provider stand-ins, an issuer and the env pointing at them. */
export async function startDependencies(): Promise<Omit<Harness, 'app' | 'url' | 'adminToken'>> {
  const [smtp, twilio, fcm, issuer] = await Promise.all([startSmtpSink(), startHttpProvider(twilioCreated), startHttpProvider(fcmSent), startTestTokenIssuer()]);
  const env: EnvSource = {
    ...issuer.env,
    MONGODB_URI: testDatabaseUri('notification'),
    REDIS_KEY_PREFIX: testKeyPrefix('notification'),
    EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_SECRET,
    APP_BASE_URL: 'https://app.dentalos.test',
    SMTP_URL: smtp.url,
    TWILIO_BASE_URL: twilio.url,
    TWILIO_ACCOUNT_SID: 'AC0123456789',
    TWILIO_AUTH_TOKEN: 'twilio-test-token',
    TWILIO_FROM: '+15005550006',
    FCM_BASE_URL: fcm.url,
    FCM_PROJECT_ID: 'dentalos-test',
    FCM_ACCESS_TOKEN: 'fcm-test-token',
    PROVIDER_TIMEOUT_MS: '1000',
    DELIVERY_RETRY_DELAYS_MS: '100,200,300',
    QUEUE_LOCK_MS: '2000',
    EVENTS_USER_STREAM: uniqueName('events.user'),
    EVENTS_ENTERPRISE_STREAM: uniqueName('events.enterprise'),
    EVENTS_CONSUMER_NAME: uniqueName('consumer'),
    EVENTS_CLAIM_IDLE_MS: '300',
    EVENTS_MAX_DELIVERIES: '3',
    // Breakers are exercised by breaker.spec.ts; elsewhere scripted failures must not open them.
    PROVIDER_BREAKER_MIN_CALLS: '1000',
  };
  return {
    env,
    smtp,
    twilio,
    fcm,
    issuer,
    close: async () => {
      await Promise.all([smtp.close(), twilio.close(), fcm.close(), issuer.close()]);
    },
  };
}

export async function startHarness(overrides: EnvSource = {}): Promise<Harness> {
  const deps = await startDependencies();
  const env = { ...deps.env, ...overrides };
  const app = await startTestApp(AppModule, appOptions, env);
  // The database connection is made in the background; a test's first write must not race it.
  await waitFor(async () => (await fetch(`${app.url}/health/readiness`)).ok, { what: 'readiness', timeoutMs: 60_000 });
  const adminToken = await deps.issuer.sign({ sub: 'operator-1', roles: ['platform-admin'] });
  return {
    ...deps,
    env,
    app,
    url: app.url,
    adminToken,
    close: async () => {
      await app.close();
      await deps.close();
    },
  };
}

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON call against the app with a bearer token. */
export async function call<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}
