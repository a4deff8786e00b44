import { Readable } from 'node:stream';
import { HttpStatusError, parseRetryAfter } from '@dentalos/resilience';
import type { Dispatcher } from 'undici';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What one attempt brings back: small bodies whole, larger or unsized ones as a stream. */
export interface Exchange {
  statusCode: number;
  headers: ResponseHeaders;
  body: Buffer | Readable;
}

export interface ExchangeRequest {
  upstream: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Readable | undefined;
  /** Longest silence while the response body streams. */
  bodyTimeoutMs: number;
}

/** Responses up to this size (with a Content-Length) are read whole before being sent on. */
const SMALL_BODY_BYTES = 16_384;

/** Error bodies are problem documents: small. Larger ones are cut, never buffered whole. */
const MAX_ERROR_BODY_BYTES = 65_536;

const EMPTY = Buffer.alloc(0);

type Mode = 'buffer' | 'stream' | 'error';

/**
 * One request to an upstream on undici's dispatcher, without the Readable, promise and abort
 * bookkeeping `pool.request()` builds for every response. Settles when the answer is known:
 * small bodies (the common API response) once complete, so they go out with the headers in one
 * write; larger or unsized ones at the headers, streamed with backpressure; 5xx answers reject
 * with their (capped) body as an `HttpStatusError`, which the resilience stack counts and may
 * retry. An abort (per-try or route deadline) settles at once, even while the request still waits
 * for a pool connection, and cancels it.
 */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private mode: Mode = 'buffer';
  private statusCode = 0;
  private headers: ResponseHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private stream: Readable | undefined;
  private settled = false;
  private aborted = false;
  private readonly onAbort = () => this.abort(this.signal.reason as Error);

  constructor(
    private readonly request: ExchangeRequest,
    private readonly signal: AbortSignal,
    private readonly resolve: (exchange: Exchange) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    signal.addEventListener('abort', this.onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(this.signal.reason as Error);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    if (statusCode < 200) return; // 1xx: informational, the final answer follows
    this.statusCode = statusCode;
    this.headers = headers;
    if (statusCode >= 500) this.mode = 'error';
    else if (Number(headers['content-length']) <= SMALL_BODY_BYTES) this.mode = 'buffer';
    else {
      this.mode = 'stream';
      this.stream = new Readable({
        read: () => controller.resume(),
        // The client went away (or the reply failed) mid-body: stop the upstream too.
        destroy: (error, callback) => {
          if (!this.stream!.readableEnded) controller.abort(error ?? new Error('response stream closed'));
          callback(error);
        },
      });
      this.settle();
      this.resolve({ statusCode, headers, body: this.stream });
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.mode === 'stream') {
      if (!this.stream!.push(chunk)) controller.pause();
      return;
    }
    // An error body past the cap is drained, not kept, so the connection can be reused.
    if (this.mode === 'error' && this.size >= MAX_ERROR_BODY_BYTES) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  onResponseEnd(): void {
    if (this.mode === 'stream') {
      this.stream!.push(null);
      return;
    }
    if (this.settled) return;
    this.settle();
    const body = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.length === 0 ? EMPTY : Buffer.concat(this.chunks, this.size);
    if (this.mode === 'buffer') {
      this.resolve({ statusCode: this.statusCode, headers: this.headers, body });
      return;
    }
    const { upstream, method, path } = this.request;
    const text = body.toString('utf8', 0, Math.min(body.length, MAX_ERROR_BODY_BYTES));
    this.reject(new HttpStatusError(upstream, method, path, this.statusCode, this.headers, text, parseRetryAfter(this.headers['retry-after'])));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.stream) this.stream.destroy(error);
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }

  private abort(reason: Error): void {
    if (this.settled) return;
    this.aborted = true;
    this.settle();
    this.reject(reason);
    // Before a connection was assigned there is nothing to cancel yet: onRequestStart does it.
    this.controller?.abort(reason);
  }

  private settle(): void {
    this.settled = true;
    this.signal.removeEventListener('abort', this.onAbort);
  }
}

/** Sends one request on `dispatcher` (an upstream's pool) until `signal` aborts; see {@link ExchangeHandler}. */
export function exchange(dispatcher: Dispatcher, request: ExchangeRequest, signal: AbortSignal): Promise<Exchange> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    dispatcher.dispatch(
      {
        method: request.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.headers,
        body: request.body,
        // Deadlines are the resilience stack's; undici's own would race them with other errors.
        headersTimeout: 0,
        bodyTimeout: request.bodyTimeoutMs,
      },
      new ExchangeHandler(request, signal, resolve, reject),
    );
  });
}
