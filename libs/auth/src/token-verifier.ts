import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
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

/**
 * Verifies RS256 access tokens against the user service's JWKS. Unknown `kid`s trigger a JWKS
 * refetch (jose's remote key set), so key rotation needs no restart anywhere.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, AuthUser>();
  private readonly cacheSize: number;
  private readonly now: () => number;

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: TokenVerifierOptions,
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<AuthUser> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt + CLOCK_TOLERANCE_SECONDS > this.now() / 1000) return cached;
      this.verified.delete(token);
      throw new TokenExpiredError();
    }
    const user = await this.verifySignature(token);
    this.remember(token, user);
    return user;
  }

  private async verifySignature(token: string): Promise<AuthUser> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.now()),
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
      return { id: payload.sub!, sessionId: String(payload.sid), roles, expiresAt: payload.exp! };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenExpiredError();
      if (error instanceof errors.JOSEError) throw new TokenInvalidError();
      throw error;
    }
  }

  private remember(token: string, user: AuthUser): void {
    if (this.verified.size >= this.cacheSize) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, user);
  }
}
