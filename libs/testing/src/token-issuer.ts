import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface TestTokenClaims {
  sub?: string;
  sid?: string;
  roles?: string[];
}

export interface SignOptions {
  /** e.g. '10m' or a negative number of seconds for an expired token. */
  expiresIn?: string | number;
  notBefore?: string | number;
  kid?: string;
  issuer?: string;
  audience?: string;
}

export interface TestTokenIssuer {
  /** Variables pointing a service at this issuer. */
  env: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string };
  sign(claims?: TestTokenClaims, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * Signs RS256 tokens like the user service does and serves the public key over a real JWKS
 * endpoint, for services tested without the user service running.
 */
export async function startTestTokenIssuer(): Promise<TestTokenIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const env = { JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWT_ISSUER: 'dentalos-user', JWT_AUDIENCE: 'dentalos-api' };
  return {
    env,
    async sign(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = typeof options.expiresIn === 'number' ? now + options.expiresIn : (options.expiresIn ?? '10m');
      const jwt = new SignJWT({ sid: claims.sid ?? randomUUID(), roles: claims.roles ?? [] })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' })
        .setSubject(claims.sub ?? randomUUID())
        .setIssuer(options.issuer ?? env.JWT_ISSUER)
        .setAudience(options.audience ?? env.JWT_AUDIENCE)
        .setIssuedAt(typeof options.expiresIn === 'number' && options.expiresIn < 0 ? now + options.expiresIn - 60 : now)
        .setExpirationTime(expiresAt);
      if (options.notBefore !== undefined) jwt.setNotBefore(typeof options.notBefore === 'number' ? now + options.notBefore : options.notBefore);
      return jwt.sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
