import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<number | string>;
}

/** Spawns a process, keeps its output for failure messages, and never leaves it running. */
export function spawnManaged(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): ManagedProcess {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const cleanup = () => child.kill('SIGKILL');
  process.once('exit', cleanup);
  void exited.then(() => process.off('exit', cleanup));
  return {
    child,
    output: () => output,
    exited,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
