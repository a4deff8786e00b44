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
  readonly stream: Readable;

  constructor(source: Readable, limitBytes: number) {
    this.stream = Readable.from(this.chunks(source, limitBytes), { objectMode: false });
  }

  private async *chunks(source: Readable, limitBytes: number): AsyncGenerator<Buffer> {
    const iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let seen = 0;
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
      if (next.done) return;
      seen += next.value.length;
      if (seen > limitBytes) throw new PayloadTooLargeError(limitBytes);
      yield next.value;
    }
  }
}

/** Whether the request carries a body at all (RFC 9112 §6.3). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return typeof length === 'string' && length !== '0';
}
