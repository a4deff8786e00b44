import { getConnectionToken } from '@nestjs/mongoose';
import { createDeclaredIndexes } from '@dentalos/database';
import { type EnvSource } from '@dentalos/core';
import { startTestApp, startTestTokenIssuer, type TestApp, type TestTokenIssuer, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import type { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';
import type { EnterpriseEnv } from '../src/config/enterprise.env.js';
import { type Json, type Reply, request } from './http-client.js';

export { type Json, type Reply, request };

export interface Harness {
  issuer: TestTokenIssuer;
  app: TestApp<EnterpriseEnv>;
  env: EnvSource;
  /** Signs a token for a user id (the token's `sub`). */
  token(userId: string): Promise<string>;
  call<T = Json>(method: string, path: string, userId: string | null, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  close(): Promise<void>;
}

/** The real service on real FerretDB and Redis, with its own database and key prefix. */
export async function startEnterprise(name: string, overrides: EnvSource = {}, shared?: { issuer: TestTokenIssuer; env: EnvSource }): Promise<Harness> {
  const issuer = shared?.issuer ?? (await startTestTokenIssuer());
  const env: EnvSource = shared?.env ?? { ...issuer.env, MONGODB_URI: testDatabaseUri(name), ...isolatedRedis(testKeyPrefix(name)), ...overrides };
  const app = await startTestApp(AppModule, appOptions, env);
  // Unique indexes (slug, clinic code, active binding) must exist before the rules are exercised.
  const connection = app.app.get<Connection>(getConnectionToken());
  await connection.asPromise();
  await createDeclaredIndexes(connection);
  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await issuer.sign({ sub: userId }));
    return tokens.get(userId)!;
  };
  return {
    issuer,
    app,
    env,
    token,
    call: async (method, path, userId, body, headers) => request(app.url, method, path, userId ? await token(userId) : null, body, headers),
    close: async () => {
      await app.close();
      if (!shared) await issuer.close();
    },
  };
}

export const uid = (prefix = 'u') => `${prefix}_${randomUUID().slice(0, 8)}`;

export const address = { line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

export async function createOrg(h: Harness, owner: string, tier = 'enterprise'): Promise<Json> {
  const reply = await h.call('POST', '/api/v1/organizations', owner, { name: 'Org', slug: uid('org').toLowerCase().replace(/_/g, '-'), tier });
  if (reply.status !== 201) throw new Error(`organization not created: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function createClinic(h: Harness, owner: string, orgId: string, extra: Record<string, unknown> = {}): Promise<Json> {
  const reply = await h.call('POST', `/api/v1/organizations/${orgId}/clinics`, owner, {
    name: 'Clinic',
    code: uid('C').toUpperCase().replace(/_/g, '-'),
    timeZone: 'Europe/Paris',
    address,
    ...extra,
  });
  if (reply.status !== 201) throw new Error(`clinic not created: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function grant(h: Harness, owner: string, orgId: string, body: Record<string, unknown>): Promise<Json> {
  const reply = await h.call('POST', `/api/v1/organizations/${orgId}/bindings`, owner, body);
  if (reply.status !== 201) throw new Error(`binding not created: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Keys and the shared event stream both namespaced, so `${REDIS_KEY_PREFIX}events.enterprise` is this test's stream. */
function isolatedRedis(prefix: string): EnvSource {
  return { REDIS_KEY_PREFIX: prefix, EVENT_STREAM_PREFIX: prefix };
}

export interface ParisClinics {
  h: Harness;
  owner: string;
  org: Json;
  paris: Json;
  parisToo: Json;
}

/** A service with an enterprise-tier organization and two Paris clinics, the second offering `secondRoles`. */
export async function startWithParisClinics(name: string, secondRoles: string[]): Promise<ParisClinics> {
  const h = await startEnterprise(name);
  const owner = uid();
  const org = await createOrg(h, owner, 'enterprise');
  const paris = await createClinic(h, owner, org.id, { timeZone: 'Europe/Paris' });
  const parisToo = await createClinic(h, owner, org.id, { timeZone: 'Europe/Paris', providerRoles: secondRoles });
  return { h, owner, org, paris, parisToo };
}
