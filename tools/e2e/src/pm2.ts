import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@dentalos/testing';

const PM2 = join(REPO_ROOT, 'node_modules/.bin/pm2');
const run = promisify(execFile);

export interface EcosystemApp {
  name: string;
  instances: number;
  env: Record<string, string>;
  [setting: string]: unknown;
}

/** The app definitions `make up` runs (ecosystem.config.js), unchanged but for what a test must own. */
export function ecosystemApp(name: string): EcosystemApp {
  const { apps } = createRequire(import.meta.url)(join(REPO_ROOT, 'ecosystem.config.js')) as { apps: EcosystemApp[] };
  const app = apps.find((candidate) => candidate.name === name);
  if (!app) throw new Error(`ecosystem.config.js has no app ${name}`);
  return app;
}

/**
 * A private pm2 (its own PM2_HOME, daemon and log files). Commands run asynchronously: a
 * synchronous `pm2 reload` would freeze this process's event loop, and with it any load it drives.
 */
export class Pm2 {
  readonly home = mkdtempSync(join(tmpdir(), 'e2e-pm2-'));
  private killed = false;

  private async pm2(...args: string[]): Promise<string> {
    // Any pm2 command starts a daemon when none runs: after kill(), a late call from a test that
    // timed out must not leave one behind.
    if (this.killed) throw new Error(`pm2 ${args.join(' ')} after kill()`);
    // A clean environment: pm2 passes its own to the apps, and test-runner variables must not leak.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PM2_HOME: this.home };
    try {
      return (await run(PM2, args, { env, cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout;
    } catch (error) {
      const failure = error as Error & { stdout?: string; stderr?: string };
      throw new Error(`pm2 ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, { cause: error });
    }
  }

  /** Starts the ecosystem definition of each app with the given environment and port. */
  async start(apps: { name: string; env: Record<string, string>; port: number }[]): Promise<void> {
    const definitions = apps.map(({ name, env, port }) => {
      const app = ecosystemApp(name);
      return { ...app, out_file: this.logFile(name, 'out'), error_file: this.logFile(name, 'err'), env: { ...app.env, ...env, PORT: String(port) } };
    });
    const file = join(this.home, 'apps.json');
    writeFileSync(file, JSON.stringify({ apps: definitions }));
    await this.pm2('start', file);
  }

  /** `pm2 reload <name>`: new workers first, each old one stopped once its replacement is ready. */
  async reload(name: string): Promise<void> {
    await this.pm2('reload', name);
  }

  /** PIDs of the app's online workers, sorted. */
  async pids(name: string): Promise<number[]> {
    const list = JSON.parse(await this.pm2('jlist')) as { name: string; pid: number; pm2_env: { status: string } }[];
    return list
      .filter((proc) => proc.name === name && proc.pm2_env.status === 'online')
      .map((proc) => proc.pid)
      .sort((a, b) => a - b);
  }

  /** The end of an app's error log, for failure messages. */
  errors(name: string): string {
    try {
      return readFileSync(this.logFile(name, 'err'), 'utf8').slice(-4_000);
    } catch {
      return '';
    }
  }

  async kill(): Promise<void> {
    await this.pm2('kill').catch(() => undefined);
    this.killed = true;
    rmSync(this.home, { recursive: true, force: true });
  }

  private logFile(name: string, kind: 'out' | 'err'): string {
    return join(this.home, `${name}.${kind}.log`);
  }
}
