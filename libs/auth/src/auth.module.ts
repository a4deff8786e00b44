import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BaseEnv } from '@dentalos/core';
import type { JWTVerifyGetKey } from 'jose';
import { AuthGuard } from './auth.guard.js';
import { createRemoteKeySet, type RemoteKeySetOptions } from './remote-key-set.js';
import { TokenVerifier } from './token-verifier.js';

/** Resolves verification keys by `kid`; the user service provides its own local key set. */
export const JWT_KEY_RESOLVER = Symbol('JWT_KEY_RESOLVER');

export interface AuthModuleOptions {
  /** Replaces the remote JWKS (`JWKS_URL`) as the source of verification keys. */
  keyResolver?: Omit<Provider<JWTVerifyGetKey>, 'provide'> & { useFactory: (...args: never[]) => JWTVerifyGetKey; inject?: unknown[] };
  /** Caching and timeouts of the remote JWKS; ignored with `keyResolver`. */
  remoteKeys?: RemoteKeySetOptions;
}

function remoteKeys(options: RemoteKeySetOptions = {}): Provider {
  return {
    provide: JWT_KEY_RESOLVER,
    inject: [BaseEnv],
    useFactory: (env: BaseEnv): JWTVerifyGetKey => createRemoteKeySet(new URL(env.JWKS_URL), options),
  };
}

@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const keys = options.keyResolver ? ({ provide: JWT_KEY_RESOLVER, ...options.keyResolver } as Provider) : remoteKeys(options.remoteKeys);
    return {
      module: AuthModule,
      providers: [
        keys,
        {
          provide: TokenVerifier,
          inject: [JWT_KEY_RESOLVER, BaseEnv],
          useFactory: (resolver: JWTVerifyGetKey, env: BaseEnv) =>
            new TokenVerifier(resolver, { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
