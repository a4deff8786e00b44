/**
 * Authorization check cost: warm (in-process cache) and cold (policy from Redis), on one core.
 * Run from the repository root (needs the local FerretDB and Redis: `bash scripts/infra.sh up`):
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/enterprise/bench/authz.bench.ts
 */
import 'reflect-metadata';
import { getConnectionToken } from '@nestjs/mongoose';
import { createDeclaredIndexes } from '@dentalos/database';
import { startTestApp, startTestTokenIssuer, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import type { Connection } from 'mongoose';
import { availableParallelism, loadavg } from 'node:os';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';
import { OrganizationRepository } from '../src/organizations/organization.repository.js';
import { AuthorizationService } from '../src/rbac/authorization.service.js';
import { request } from '../test/support.js';

const issuer = await startTestTokenIssuer();
const app = await startTestApp(AppModule, appOptions, { ...issuer.env, MONGODB_URI: testDatabaseUri('bench_authz'), REDIS_KEY_PREFIX: testKeyPrefix('bench_authz') });
const connection = app.app.get<Connection>(getConnectionToken());
await connection.asPromise();
await createDeclaredIndexes(connection);

const ownerToken = await issuer.sign({ sub: 'owner' });
const org = (await request<{ id: string }>(app.url, 'POST', '/api/v1/organizations', ownerToken, { name: 'Bench', slug: `bench-${Date.now()}`, tier: 'enterprise' })).body;
const clinic = (await request<{ id: string }>(app.url, 'POST', `/api/v1/organizations/${org.id}/clinics`, ownerToken, {
  name: 'Bench clinic',
  code: 'B-1',
  timeZone: 'Europe/Paris',
  address: { line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' },
})).body;
// A realistic member: an org-wide role, two clinic roles and a deny.
for (const binding of [
  { userId: 'member', role: 'receptionist' },
  { userId: 'member', role: 'clinic-manager', clinicId: clinic.id },
  { userId: 'member', role: 'dentist', clinicId: clinic.id },
  { userId: 'member', role: 'auditor', effect: 'deny' },
]) {
  await request(app.url, 'POST', `/api/v1/organizations/${org.id}/bindings`, ownerToken, binding);
}
const authorization = app.app.get(AuthorizationService);
const head = (await app.app.get(OrganizationRepository).head(org.id))!;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, iterations: number, before?: () => void): Promise<void> {
  const samples = new Array<number>(iterations);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    before?.();
    const t = process.hrtime.bigint();
    const policy = await authorization.policyFor(org.id, 'member', head.policyVersion);
    if (!policy.check('assignment:update', clinic.id).allowed) throw new Error('unexpected deny');
    samples[i] = Number(process.hrtime.bigint() - t) / 1e6;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `${label.padEnd(28)} n=${iterations}  p50=${percentile(samples, 50).toFixed(4)} ms  p99=${percentile(samples, 99).toFixed(4)} ms  throughput=${Math.round(iterations / seconds).toLocaleString('en-US')} checks/s`,
  );
}

console.log(`load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} cores, shared with other workloads; figures are indicative`);
await measure('cold warm-up', 500, () => authorization.clearLocal());
await measure('warm (in-process cache)', 20_000);
await measure('warm (in-process cache)', 300_000);
await measure('cold (Redis, local cleared)', 3_000, () => authorization.clearLocal());
await app.close();
await issuer.close();
process.exit(0);
