import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@dentalos/testing';

const LOCK_DIR = join(tmpdir(), 'dentalos-e2e-stack.lock');

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but not ours to signal; anything else (no pid file yet, ESRCH) is stale or starting.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One e2e stack at a time on this machine, across test workers and projects: two stacks (eight
 * Node processes plus load) on CI's two cores would turn every deadline into a coin toss.
 */
export async function acquireStackLock(timeoutMs = 900_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let staleChecks = 0;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      let held = true;
      return () => {
        if (held) rmSync(LOCK_DIR, { recursive: true, force: true });
        held = false;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A holder that died without releasing: gone for a few consecutive checks means stale.
    staleChecks = holderAlive() ? 0 : staleChecks + 1;
    if (staleChecks >= 5) rmSync(LOCK_DIR, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`another e2e stack held ${LOCK_DIR} for ${timeoutMs} ms`);
    await sleep(500);
  }
}
