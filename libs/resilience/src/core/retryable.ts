import { BrokenCircuitError, BulkheadRejectedError, TimeoutError } from './resilience.errors.js';

/** Statuses worth another try: the upstream or a proxy said "not now", never "your request is wrong". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Connection-level failures: the request may not have reached the application at all. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function statusOf(error: object): number | undefined {
  const candidate = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The default retry predicate: timeouts, network errors, 429/502/503/504. Never other 4xx or 5xx,
 * never a rejection by a breaker or bulkhead (retrying those only adds load), never an abort.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  if (error instanceof BrokenCircuitError || error instanceof BulkheadRejectedError) return false;
  if (typeof error !== 'object' || error === null) return false;
  const status = statusOf(error);
  if (status !== undefined) return RETRYABLE_STATUSES.has(status);
  const code = codeOf(error);
  if (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) return true;
  // fetch and undici wrap the socket error: look one level down.
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) {
    const causeCode = codeOf(cause);
    if (causeCode !== undefined && RETRYABLE_NETWORK_CODES.has(causeCode)) return true;
  }
  return false;
}

/** How long the failed call asked us to wait (`retryAfterMs` on the error), if it said. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
