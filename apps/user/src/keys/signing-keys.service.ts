import { Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { errors, exportJWK, type JWK, type JWTVerifyGetKey } from 'jose';
import type { KeyStatus } from '../config/signing-keys.js';
import { UserEnv } from '../config/user.env.js';

interface LoadedKey {
  kid: string;
  status: KeyStatus;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** JWKS order: what verifiers will most likely need first. */
const STATUS_ORDER: Record<KeyStatus, number> = { active: 0, next: 1, previous: 2 };

/**
 * The signing key set from `JWT_SIGNING_KEYS` (validated at start-up). Signs with the active key,
 * publishes every key so tokens of the previous key stay verifiable and the next key is already
 * known everywhere before it is promoted.
 */
@Injectable()
export class SigningKeys {
  private readonly keys: LoadedKey[];
  private readonly byKid: Map<string, LoadedKey>;
  private jwks?: Promise<PublicJwk[]>;

  constructor(env: UserEnv) {
    this.keys = env.JWT_SIGNING_KEYS.map(({ kid, status, privateKeyPem }) => {
      const privateKey = createPrivateKey(privateKeyPem);
      return { kid, status, privateKey, publicKey: createPublicKey(privateKey) };
    }).sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    this.byKid = new Map(this.keys.map((key) => [key.kid, key]));
  }

  get active(): { kid: string; privateKey: KeyObject } {
    return this.keys.find((key) => key.status === 'active')!;
  }

  /** Local key lookup for libs/auth: the service never fetches its own JWKS over HTTP. */
  readonly resolver: JWTVerifyGetKey = (header) => {
    const key = header.kid === undefined ? undefined : this.byKid.get(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key.publicKey;
  };

  publicJwks(): Promise<PublicJwk[]> {
    this.jwks ??= Promise.all(
      this.keys.map(async (key) => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'RS256' as const, use: 'sig' as const })),
    );
    return this.jwks;
  }
}
