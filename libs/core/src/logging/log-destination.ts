import type { DestinationStream } from 'pino';

/** Past this many pending characters the lines leave at once instead of at the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

/**
 * stdout, one write per event-loop turn: the lines of every request finished in a turn leave in
 * one system call instead of one each. pino's own `minLength` buffering was tried first: it
 * re-measures its whole pending buffer on every line, which cost more than the line itself.
 *
 * Written through `process.stdout`, not to file descriptor 1: pm2's cluster mode collects an
 * app's output by replacing `process.stdout.write` (the descriptor leads to the daemon's own
 * log). On Linux that stream writes synchronously to files and pipes, so no line outlives the
 * process.
 */
class TurnBatchedStdout implements DestinationStream {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled = false;

  constructor() {
    process.on('exit', () => this.flush());
  }

  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= MAX_PENDING_CHARS) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const lines = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    process.stdout.write(lines);
  };
}

let destination: TurnBatchedStdout | undefined;

/** The one stdout destination shared by the application logger and the request log. */
export function logDestination(): DestinationStream {
  destination ??= new TurnBatchedStdout();
  return destination;
}
