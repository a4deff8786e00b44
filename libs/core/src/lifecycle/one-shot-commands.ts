import { Injectable } from '@nestjs/common';

export type OneShotCommand = () => Promise<string>;

/** `node main.js --sync-indexes` → `sync-indexes`; nothing when the process should serve. */
export function requestedCommand(argv: readonly string[] = process.argv.slice(2)): string | undefined {
  return argv.find((arg) => arg.startsWith('--'))?.slice(2);
}

export class UnknownCommandError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`unknown command --${name}; this service knows: ${known.map((command) => `--${command}`).join(', ') || 'none'}`);
  }
}

/**
 * Operational tasks an app can run once instead of serving (e.g. `--sync-indexes` before a
 * rollout): libraries register them, bootstrap() runs the one named on the command line with the
 * app's real configuration and connections, prints its result and exits.
 */
@Injectable()
export class OneShotCommands {
  private readonly commands = new Map<string, OneShotCommand>();

  /** Set when the process runs a command; start-up work the command also does can stand aside. */
  readonly requested = requestedCommand();

  register(name: string, command: OneShotCommand): void {
    this.commands.set(name, command);
  }

  run(name: string): Promise<string> {
    const command = this.commands.get(name);
    if (!command) throw new UnknownCommandError(name, [...this.commands.keys()]);
    return command();
  }
}
