import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: link tokens and refresh-token secrets. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored only as SHA-256 digests. They carry 256 random bits, so a fast hash is
 * enough (no dictionary to attack) and keeps the lookup an indexed equality match.
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
