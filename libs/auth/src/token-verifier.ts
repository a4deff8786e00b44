import { createPublicKey, type JsonWebKey, KeyObject, verify as verifySignature, type webcrypto } from 'node:crypto';
import { errors, type JWTVerifyGetKey } from 'jose';
import type { AuthUser } from './auth-user.js';
import { TokenExpiredError, TokenInvalidError } from './token.errors.js';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Verified tokens remembered until they expire; RSA verification is the costly part. */
  cacheSize?: number;
  now?: () => number;
}

const CLOCK_TOLERANCE_SECONDS = 5;

interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
  crit?: unknown;
}

interface JwtClaims {
  sub?: unknown;
  sid?: unknown;
  roles?: unknown;
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
}

function decodePart<T>(part: string | undefined): T {
  if (!part) throw new TokenInvalidError();
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as T;
  } catch {
    throw new TokenInvalidError();
  }
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Verifies RS256 access tokens. jose's remote key set resolves keys by `kid` (cached, refetched
 * on an unknown `kid`, so rotation needs no restart; see createRemoteKeySet for outages); the
 * signature itself is checked with node:crypto on a cached KeyObject, about three times faster
 * than WebCrypto for RSA.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, AuthUser>();
  private readonly keyObjects = new WeakMap<object, KeyObject>();
  private readonly cacheSize: number;
  private readonly now: () => number;

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: TokenVerifierOptions,
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The caller of a token verified before and not yet expired; undefined when it must be verified. */
  verifiedBefore(token: string): AuthUser | undefined {
    const cached = this.verified.get(token);
    return cached && cached.expiresAt + CLOCK_TOLERANCE_SECONDS > this.now() / 1000 ? cached : undefined;
  }

  async verify(token: string): Promise<AuthUser> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt + CLOCK_TOLERANCE_SECONDS > this.now() / 1000) return cached;
      this.verified.delete(token);
      throw new TokenExpiredError();
    }
    const user = await this.verifyUncached(token);
    this.remember(token, user);
    return user;
  }

  /** Full verification, bypassing the cache of already-verified tokens. */
  async verifyUncached(token: string): Promise<AuthUser> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new TokenInvalidError();
    const [encodedHeader, encodedClaims, signature] = parts as [string, string, string];
    const header = decodePart<JwtHeader>(encodedHeader);
    if (header.alg !== 'RS256' || header.crit !== undefined) throw new TokenInvalidError();
    const key = await this.keyFor(header, encodedHeader, encodedClaims);
    const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
    if (!verifySignature('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) throw new TokenInvalidError();
    return this.checkClaims(decodePart<JwtClaims>(encodedClaims));
  }

  private async keyFor(header: JwtHeader, encodedHeader: string, encodedClaims: string): Promise<KeyObject> {
    let resolved: unknown;
    try {
      resolved = await this.keys(header as Parameters<JWTVerifyGetKey>[0], {
        payload: encodedClaims,
        signature: '',
        protected: encodedHeader,
      } as unknown as Parameters<JWTVerifyGetKey>[1]);
    } catch (error) {
      // jose errors mean no key fits the token. A resolver that cannot reach its keys throws an
      // AppError instead (AuthKeysUnavailableError, 503), which must reach the client as is.
      if (error instanceof errors.JOSEError) throw new TokenInvalidError();
      throw error;
    }
    if (resolved instanceof KeyObject) return resolved;
    const cached = this.keyObjects.get(resolved as object);
    if (cached) return cached;
    const keyObject =
      typeof (resolved as { type?: unknown }).type === 'string' && 'algorithm' in (resolved as object)
        ? KeyObject.from(resolved as webcrypto.CryptoKey)
        : createPublicKey({ key: resolved as JsonWebKey, format: 'jwk' });
    this.keyObjects.set(resolved as object, keyObject);
    return keyObject;
  }

  private checkClaims(claims: JwtClaims): AuthUser {
    const now = this.now() / 1000;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.options.issuer || !audiences.includes(this.options.audience)) throw new TokenInvalidError();
    if (typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.sid !== 'string' || !isNumber(claims.iat) || !isNumber(claims.exp)) {
      throw new TokenInvalidError();
    }
    if (claims.nbf !== undefined && (!isNumber(claims.nbf) || claims.nbf > now + CLOCK_TOLERANCE_SECONDS)) throw new TokenInvalidError();
    if (claims.exp <= now - CLOCK_TOLERANCE_SECONDS) throw new TokenExpiredError();
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
    return { id: claims.sub, sessionId: claims.sid, roles, expiresAt: claims.exp };
  }

  private remember(token: string, user: AuthUser): void {
    if (this.verified.size >= this.cacheSize) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, user);
  }
}
