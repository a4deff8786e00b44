import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock.js';
import { UserEnv } from '../config/user.env.js';
import { SigningKeys } from './signing-keys.service.js';

export interface AccessTokenSubject {
  userId: string;
  sessionId: string;
  roles: string[];
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
}

/** Signs the platform's access tokens (claims per DESIGN.md: sub, sid, roles). */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly env: UserEnv,
    private readonly clock: Clock,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const { kid, privateKey } = this.keys.active;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({ sid: subject.sessionId, roles: subject.roles })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setSubject(subject.userId)
      // Unique per token, so two tokens issued in the same second for one session still differ.
      .setJti(randomUUID())
      .setIssuer(this.env.JWT_ISSUER)
      .setAudience(this.env.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.env.ACCESS_TOKEN_TTL_SECONDS)
      .sign(privateKey);
    return { token, expiresIn: this.env.ACCESS_TOKEN_TTL_SECONDS };
  }
}
