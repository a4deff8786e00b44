import pino, { type DestinationStream } from 'pino';

/** Log lines are written in batches of at least this many bytes... */
const BATCH_BYTES = 4096;
/** ...or after this long, so a quiet service's lines still show up at once to an operator. */
const FLUSH_INTERVAL_MS = 500;

let destination: (DestinationStream & { flush(): void }) | undefined;

/**
 * stdout, buffered: a synchronous write per line costs a system call per request, as much as
 * sending the response itself. pino flushes the buffer synchronously when the process exits.
 */
export function logDestination(): DestinationStream {
  if (!destination) {
    const stream = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
    setInterval(() => stream.flush(), FLUSH_INTERVAL_MS).unref();
    destination = stream;
  }
  return destination;
}
