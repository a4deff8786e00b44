import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal bodies hash equally whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('base64url');
}

/**
 * A UUID-shaped id derived from a scope string (e.g. the caller's Idempotency-Key or an event's
 * dedup key): the natural key becomes the primary key, so the lookup and the uniqueness check are
 * both `_id` operations, the cheapest a document store has.
 */
export function derivedId(scope: string): string {
  const hex = createHash('sha256').update(scope).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
