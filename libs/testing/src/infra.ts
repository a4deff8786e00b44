import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** Repository root, for scripts and tool binaries. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** The shared local servers started by scripts/infra.sh; override to use any real instance. */
export const TEST_MONGODB_URL = process.env.TEST_MONGODB_URL ?? 'mongodb://127.0.0.1:27017';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(prefix: string): string {
  return `${prefix.replace(/[^a-z0-9]/gi, '_').slice(0, 20)}_${randomBytes(5).toString('hex')}`;
}

/** A database of its own for one test file, so files never see each other's data. */
export function testDatabaseUri(prefix = 't'): string {
  return `${TEST_MONGODB_URL}/${uniqueName(prefix)}`;
}

/** A Redis key prefix of its own for one test file. */
export function testKeyPrefix(prefix = 't'): string {
  return `${uniqueName(prefix)}:`;
}
