import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { AuthKeysUnavailableError } from './token.errors.js';

export interface RemoteKeySetOptions {
  /** Milliseconds a fetched key set is trusted before lookups refetch it; default 10 minutes. */
  cacheMaxAge?: number;
  /**
   * Milliseconds between refetches prompted by an unknown `kid`, and how long after a failed fetch
   * lookups rely on the last good key set without trying again (the Retry-After); default 5 s.
   */
  cooldownDuration?: number;
  /** Milliseconds one fetch of the key set may take; default 2 s. */
  timeoutDuration?: number;
}

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;
type KeyLookup = Parameters<JWTVerifyGetKey>;
type VerificationKey = Awaited<ReturnType<RemoteKeySet>>;

const DEFAULTS = { cacheMaxAge: 10 * 60_000, cooldownDuration: 5_000, timeoutDuration: 2_000 } satisfies Required<RemoteKeySetOptions>;

/** The key set was read and holds no single usable key for the token: the token is at fault. */
function isKeyRejection(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;
}

/**
 * jose's remote key set, made to outlast an outage of the service that publishes it. A failed
 * fetch (refused, timed out, non-200, not a key set) no longer fails every token once the cache
 * has aged: tokens keep verifying against the last key set fetched successfully, and only a token
 * whose key that set lacks is refused, with 503 AUTH_KEYS_UNAVAILABLE and Retry-After, since its
 * key may have been published during the outage.
 */
export function createRemoteKeySet(url: URL, options: RemoteKeySetOptions = {}): JWTVerifyGetKey {
  const settings = { ...DEFAULTS, ...options };
  const remote = createRemoteJWKSet(url, settings);
  const retryAfterSeconds = Math.max(1, Math.ceil(settings.cooldownDuration / 1000));
  let lastGood: JWTVerifyGetKey | undefined;
  let lastFailure: unknown;
  let retryFetchAt = 0;

  const unavailable = (cause: unknown) => new AuthKeysUnavailableError(retryAfterSeconds, cause);

  // jose replaces its key set only after a successful fetch, so what it holds is the last good set.
  const lastGoodKeys = (): JWTVerifyGetKey | undefined => {
    if (lastGood) return lastGood;
    const jwks = remote.jwks();
    lastGood = jwks && createLocalJWKSet(jwks);
    return lastGood;
  };

  // The lookup may have refetched the set; a later failure must fall back to that newer one.
  const forgetLastGood = () => {
    lastGood = undefined;
  };

  const fromLastGood = async (lookup: KeyLookup, failure: unknown): Promise<VerificationKey> => {
    const keys = lastGoodKeys();
    if (!keys) throw unavailable(failure);
    try {
      return (await keys(...lookup)) as VerificationKey;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw unavailable(failure);
      throw error;
    }
  };

  const fromRemote = async (lookup: KeyLookup): Promise<VerificationKey> => {
    try {
      const key = await remote(...lookup);
      forgetLastGood();
      return key;
    } catch (error) {
      if (isKeyRejection(error)) {
        forgetLastGood();
        throw error;
      }
      lastFailure = error;
      retryFetchAt = Date.now() + settings.cooldownDuration;
      return fromLastGood(lookup, error);
    }
  };

  return (...lookup: KeyLookup) => (Date.now() < retryFetchAt ? fromLastGood(lookup, lastFailure) : fromRemote(lookup));
}
