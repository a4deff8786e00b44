import { join } from 'node:path';
import { REPO_ROOT } from './infra.js';
import { type ManagedProcess, spawnManaged } from './process.js';

/**
 * Runs a TypeScript entry point in a child process, straight from source (workspace libs resolve
 * to their sources), for tests that need real signals and a real process exit.
 */
export function spawnTsProcess(entry: string, env: NodeJS.ProcessEnv = {}): ManagedProcess {
  return spawnManaged(
    process.execPath,
    ['--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', entry],
    { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'), ...env },
    REPO_ROOT,
  );
}
