const DELTA_SECONDS = /^\d+$/;

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * Returns milliseconds to wait (0 for a date in the past), or `undefined` when absent or invalid.
 */
export function parseRetryAfter(value: string | string[] | null | undefined, epochNow: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (DELTA_SECONDS.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date always names a weekday and a GMT zone; refuse bare numbers with signs or decimals.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - epochNow);
}
