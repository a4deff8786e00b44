import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import { startTestApp, testDatabaseUri, testKeyPrefix, TEST_REDIS_URL, type TestApp } from '@dentalos/testing';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { vi } from 'vitest';
import { AppModule } from '../../src/app.module.js';
import { appOptions } from '../../src/app.options.js';
import { Clock } from '../../src/common/clock.js';
import type { KeyStatus, SigningKeyConfig } from '../../src/config/signing-keys.js';
import type { UserEnv } from '../../src/config/user.env.js';

/** A fresh RSA key; tests make their own, nothing is committed. */
export function signingKey(kid: string, status: KeyStatus): SigningKeyConfig {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, status, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export interface UserTestEnv extends Record<string, string> {
  MONGODB_URI: string;
  REDIS_KEY_PREFIX: string;
  EVENT_STREAM_PREFIX: string;
  JWT_SIGNING_KEYS: string;
  EVENT_SEALING_KEY: string;
}

export function userTestEnv(prefix: string, keys: SigningKeyConfig[] = [signingKey(`${prefix}-1`, 'active')]): UserTestEnv {
  const keyPrefix = testKeyPrefix(prefix);
  return {
    MONGODB_URI: testDatabaseUri(prefix),
    REDIS_KEY_PREFIX: keyPrefix,
    // The stream gets the same namespace, so `${REDIS_KEY_PREFIX}events.user` is this test's stream.
    EVENT_STREAM_PREFIX: keyPrefix,
    JWT_SIGNING_KEYS: JSON.stringify(keys),
    EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
  };
}

export interface UserApp extends TestApp<UserEnv> {
  env: UserEnv;
  api: Api;
  /** Moves the service's clock forward (lockout windows, token expiry). */
  advance(ms: number): void;
  users(): ReturnType<Connection['collection']>;
  sessions(): ReturnType<Connection['collection']>;
  events(): Promise<StreamEvent[]>;
  close(): Promise<void>;
}

export interface StreamEvent {
  id: string;
  type: string;
  subject?: string;
  data: Record<string, unknown>;
  raw: string;
}

export async function startUserApp(env: Record<string, string>): Promise<UserApp> {
  const app = await startTestApp(AppModule, appOptions, env);
  let offset = 0;
  vi.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offset));
  const connection = app.app.get<Connection>(getConnectionToken());
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  return {
    ...app,
    api: api(app.url),
    advance: (ms) => {
      offset += ms;
    },
    users: () => connection.collection('users'),
    sessions: () => connection.collection('sessions'),
    async events() {
      if (redis.status === 'wait') await redis.connect();
      const entries = await redis.xrange(`${env.REDIS_KEY_PREFIX}events.user`, '-', '+');
      return entries.map(([, fields]) => {
        const raw = fields[fields.indexOf('event') + 1]!;
        const event = JSON.parse(raw) as Omit<StreamEvent, 'raw'>;
        return { ...event, raw };
      });
    },
    async close() {
      await app.close();
      await redis.quit().catch(() => undefined);
    },
  };
}

export interface ApiResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: Record<string, any>;
  text: string;
  headers: Headers;
}

export interface Api {
  call(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<ApiResult>;
  post(path: string, body?: unknown, token?: string): Promise<ApiResult>;
  get(path: string, token?: string): Promise<ApiResult>;
  /** Every body the tests saw, for the no-secrets scan. */
  seen: string[];
}

export function api(base: string): Api {
  const seen: string[] = [];
  const call: Api['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    seen.push(text);
    return { status: response.status, body: parseJson(text), text, headers: response.headers };
  };
  return {
    call,
    post: (path, body, token) => call('POST', path, { body: body ?? {}, token }),
    get: (path, token) => call('GET', path, { token }),
    seen,
  };
}

function parseJson(text: string): ApiResult['body'] {
  try {
    return text ? (JSON.parse(text) as ApiResult['body']) : {};
  } catch {
    return {};
  }
}

let counter = 0;
/** A unique, valid email per call. */
export function email(tag = 'user'): string {
  counter += 1;
  return `${tag}.${counter}.${randomBytes(3).toString('hex')}@clinic.example`;
}

export const GOOD_PASSWORD = 'molar-crown-lantern-42';

/** Registers and signs in; returns the tokens and the id. */
export async function signUpAndIn(app: UserApp, address = email(), password = GOOD_PASSWORD, userAgent = 'vitest') {
  const registered = await app.api.post('/api/v1/auth/register', { email: address, password });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.text}`);
  const login = await app.api.call('POST', '/api/v1/auth/login', { body: { email: address, password }, headers: { 'user-agent': userAgent } });
  if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
  return {
    id: registered.body.id as string,
    email: address,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
    sessionId: login.body.sessionId as string,
  };
}

export const MINUTE = 60_000;
