import { AppError, ServiceUnavailableError } from '@dentalos/core';
import { BrokenCircuitError, BulkheadRejectedError, RetriesExhaustedError, TimeoutError } from '../core/resilience.errors.js';
import { isRetryableError } from '../core/retryable.js';
import { HttpStatusError } from './http-status.error.js';

/**
 * Turns an outbound failure into the problem the inbound caller should see: 503 with
 * `Retry-After` when we refused to call (breaker open, bulkhead full), 504 when the upstream was
 * too slow, 502 when it failed or could not be reached. Anything else is returned unchanged.
 * Use it where a service answers for a dependency: `catch (error) { throw upstreamProblem(error) }`.
 */
export function upstreamProblem(error: unknown): unknown {
  const last = error instanceof RetriesExhaustedError ? error.cause : error;
  if (last instanceof AppError) return last;
  if (last instanceof BrokenCircuitError) {
    const seconds = Math.max(1, Math.ceil((last.retryAfterMs ?? 1_000) / 1000));
    return new ServiceUnavailableError('UPSTREAM_CIRCUIT_OPEN', `${last.policy} is unavailable; try again later.`, seconds);
  }
  if (last instanceof BulkheadRejectedError) {
    return new ServiceUnavailableError('UPSTREAM_BUSY', `${last.policy} is at its concurrency limit; try again shortly.`, 1);
  }
  if (last instanceof TimeoutError) {
    return new AppError(504, 'UPSTREAM_TIMEOUT', `${last.policy} did not answer in time.`, { cause: error });
  }
  if (last instanceof HttpStatusError) {
    return new AppError(502, 'UPSTREAM_ERROR', `${last.upstream} answered ${last.status}.`, { cause: error });
  }
  if (error !== last || isRetryableError(last)) {
    return new AppError(502, 'UPSTREAM_UNREACHABLE', 'An upstream service could not be reached.', { cause: error });
  }
  return error;
}
