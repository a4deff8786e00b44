import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './infra.js';
import { freePort, isListening } from './ports.js';
import { type ManagedProcess, spawnManaged } from './process.js';
import { waitFor } from './wait.js';

export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

function privateServer(scheme: string, spawnOn: (port: number, dir: string) => ManagedProcess, port: number): PrivateServer {
  const dir = mkdtempSync(join(tmpdir(), `dentalos-${scheme}-`));
  let running: ManagedProcess | undefined;
  const server: PrivateServer = {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    async start() {
      if (running) return;
      const process = spawnOn(port, dir);
      running = process;
      await waitFor(() => isListening(port), { what: `${scheme} on ${port}`, timeoutMs: 30_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\n${process.output()}`);
      });
    },
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * A FerretDB of one test's own, for tests that stop and start the database; the shared one
 * must keep serving every other test file.
 */
export async function privateFerretDb(): Promise<PrivateServer> {
  const port = await freePort();
  return privateServer(
    'mongodb',
    (listenPort, dir) =>
      spawnManaged(join(REPO_ROOT, '.tools/bin/ferretdb'), [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${listenPort}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ]),
    port,
  );
}

/** A Redis of one test's own, for tests that take Redis away. */
export async function privateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  return privateServer(
    'redis',
    (listenPort, dir) =>
      spawnManaged('redis-server', ['--port', String(listenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]),
    port,
  );
}
