import type { Readable } from 'node:stream';
import { PayloadTooLargeError } from './proxy.errors.js';

/**
 * Passes a request body through chunk by chunk, counting bytes, so a body without (or lying
 * about) Content-Length is cut off at the limit instead of being buffered or forwarded whole.
 */
export async function* limitedBody(source: Readable, limitBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limitBytes) throw new PayloadTooLargeError(limitBytes);
    yield chunk;
  }
}

/** Whether the request carries a body at all (RFC 9112 §6.3). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return typeof length === 'string' && length !== '0';
}
