import { RETRYABLE_STATUSES } from '../core/retryable.js';

/**
 * An upstream answered 5xx or 429. `status` drives the retry predicate, `retryAfterMs` the wait,
 * and the buffered `body` lets a gateway relay the upstream's own problem document.
 */
export class HttpStatusError extends Error {
  readonly code = 'UPSTREAM_STATUS';

  constructor(
    readonly upstream: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`${upstream} answered ${status} to ${method} ${path}`);
    this.name = 'HttpStatusError';
  }

  get retryable(): boolean {
    return RETRYABLE_STATUSES.has(this.status);
  }
}
