import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TEST_MONGODB_URL, TEST_REDIS_URL } from './infra.js';
import { isListening } from './ports.js';

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Tests talk to real servers: start the local ones unless something already listens. */
export default async function setup(): Promise<void> {
  const up = await Promise.all([isListening(portOf(TEST_MONGODB_URL)), isListening(portOf(TEST_REDIS_URL))]);
  if (up.every(Boolean)) return;
  execFileSync('bash', [join(REPO_ROOT, 'scripts/infra.sh'), 'up'], { stdio: 'inherit' });
}
