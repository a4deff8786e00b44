import { Readable } from 'node:stream';
import { PayloadTooLargeError, RequestBodyAbortedError } from './proxy.errors.js';

/**
 * A client's request body on its way upstream, passed through chunk by chunk: bytes are counted
 * so a body without (or lying about) Content-Length is cut off at the limit instead of being
 * buffered or forwarded whole, and the proxy can tell who a stalled upload is waiting for.
 */
export class LimitedBody {
  /**
   * True while the next bytes are awaited from the client, false while a chunk waits for the
   * upstream to take it: a deadline passing in the first state is the client's doing.
   */
  waitingForClient = false;
  /** The client's whole body has been read. */
  complete = false;
  readonly stream: Readable;

  constructor(source: Readable, limitBytes: number) {
    this.stream = Readable.from(this.chunks(source, limitBytes), { objectMode: false });
  }

  private async *chunks(source: Readable, limitBytes: number): AsyncGenerator<Buffer> {
    // Not destroyed when left early: the answer still has to go out on the client's connection.
    const iterator: AsyncIterator<Buffer> = source.iterator({ destroyOnReturn: false });
    let seen = 0;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        this.waitingForClient = true;
        try {
          next = await iterator.next();
        } catch (error) {
          throw new RequestBodyAbortedError(error);
        } finally {
          this.waitingForClient = false;
        }
        if (next.done) {
          this.complete = true;
          return;
        }
        seen += next.value.length;
        if (seen > limitBytes) throw new PayloadTooLargeError(limitBytes);
        yield next.value;
      }
    } finally {
      // Left before the end (over the limit, or the upstream answered without reading it all):
      // stop reading; the proxy closes the connection after its answer (see ProxyService).
      if (!this.complete) await iterator.return?.();
    }
  }
}

/** Whether the request carries a body at all (RFC 9112 §6.3). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return typeof length === 'string' && length !== '0';
}
