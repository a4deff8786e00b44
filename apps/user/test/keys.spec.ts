import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { ConfigError, loadConfig } from '@dentalos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserEnv } from '../src/config/user.env.js';
import { signingKey, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

/** Spelled in parts so no key-shaped literal sits in the sources. */
const PEM_LABEL = ['BEGIN', 'PRIVATE', 'KEY'].join(' ');

const keyA = signingKey('key-a', 'active');
const keyB = signingKey('key-b', 'next');
let before: UserApp;
let env: ReturnType<typeof userTestEnv>;

beforeAll(async () => {
  env = userTestEnv('user_keys', [keyA, keyB]);
  before = await startUserApp(env);
});
afterAll(() => before?.close());

describe('JWKS', () => {
  it('publishes the active and next keys (public parts only) at /.well-known/jwks.json without a token', async () => {
    const result = await before.api.get('/.well-known/jwks.json');
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toContain('max-age');
    expect(result.body.keys.map((key: { kid: string }) => key.kid)).toEqual(['key-a', 'key-b']);
    for (const key of result.body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' });
      expect(key).not.toHaveProperty('d');
    }
  });
});

describe('key rotation', () => {
  it('keeps tokens of the previous key valid after next is promoted, and signs new ones with the new key', async () => {
    const user = await signUpAndIn(before);
    expect(decodeProtectedHeader(user.accessToken).kid).toBe('key-a');
    const rotated = await startUserApp({ ...env, JWT_SIGNING_KEYS: JSON.stringify([{ ...keyB, status: 'active' }, { ...keyA, status: 'previous' }]) });
    try {
      expect((await rotated.api.get('/api/v1/users/me', user.accessToken)).status).toBe(200);
      const jwks = await rotated.api.get('/.well-known/jwks.json');
      expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual(['key-b', 'key-a']);
      const refreshed = await rotated.api.post('/api/v1/auth/refresh', { refreshToken: user.refreshToken });
      expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe('key-b');
      // The old instance already knew key-b as "next", so it accepts the new tokens during the rollout.
      expect((await before.api.get('/api/v1/users/me', refreshed.body.accessToken)).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });
});

describe('token verification', () => {
  const claims = (sub: string, sid: string) => ({ sid, roles: [] as string[], sub });

  async function sign(key: Parameters<SignJWT['sign']>[0], kid: string, sub: string, sid: string, patch: (jwt: SignJWT) => SignJWT = (jwt) => jwt) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims(sub, sid)).setProtectedHeader({ alg: 'RS256', kid }).setIssuer('dentalos-user').setAudience('dentalos-api').setIssuedAt(now).setExpirationTime(now + 300);
    return patch(jwt).sign(key);
  }

  it.each([
    ['a wrong signature', 'TOKEN_INVALID', async (sub: string, sid: string) => sign((await generateKeyPair('RS256')).privateKey, 'key-a', sub, sid)],
    ['an unknown kid', 'TOKEN_INVALID', async (sub: string, sid: string) => sign(createPrivateKey(keyA.privateKeyPem), 'key-zzz', sub, sid)],
    ['alg none', 'TOKEN_INVALID', async (sub: string, sid: string) => {
      const token = await sign(createPrivateKey(keyA.privateKeyPem), 'key-a', sub, sid);
      return `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'key-a' })).toString('base64url')}.${token.split('.')[1]}.`;
    }],
    ['an expired token', 'TOKEN_EXPIRED', (sub: string, sid: string) =>
      sign(createPrivateKey(keyA.privateKeyPem), 'key-a', sub, sid, (jwt) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 1200).setExpirationTime(Math.floor(Date.now() / 1000) - 600))],
    ['a not-yet-valid token', 'TOKEN_INVALID', (sub: string, sid: string) =>
      sign(createPrivateKey(keyA.privateKeyPem), 'key-a', sub, sid, (jwt) => jwt.setNotBefore(Math.floor(Date.now() / 1000) + 600))],
  ])('refuses %s with 401', async (_name, code, make) => {
    const user = await signUpAndIn(before);
    // Same subject and live session as a genuine token: only the defect differs.
    const result = await before.api.get('/api/v1/users/me', await make(user.id, user.sessionId));
    expect(result.status).toBe(401);
    expect(result.body.code).toBe(code);
    expect((await before.api.get('/api/v1/users/me', await sign(createPrivateKey(keyA.privateKeyPem), 'key-a', user.id, user.sessionId))).status).toBe(200);
  });
});

describe('JWT_SIGNING_KEYS validation', () => {
  const base = { EVENT_SEALING_KEY: env?.EVENT_SEALING_KEY ?? Buffer.alloc(32, 1).toString('base64') };

  it.each([
    ['missing', undefined, /JWT_SIGNING_KEYS/],
    ['not JSON', 'not json', /JWT_SIGNING_KEYS: must be a JSON array/],
    ['without an active key', JSON.stringify([{ ...keyA, status: 'next' }]), /exactly one key must have status 'active' \(found 0\)/],
    ['with two active keys', JSON.stringify([keyA, { ...keyB, status: 'active' }]), /exactly one key must have status 'active' \(found 2\)/],
    ['with a bad PEM', JSON.stringify([{ ...keyA, privateKeyPem: `-----${PEM_LABEL}-----\nAAAA\n-----END PRIVATE KEY-----` }]), /entry 0: privateKeyPem is not a readable PEM private key/],
    ['with a duplicate kid', JSON.stringify([keyA, { ...keyB, kid: 'key-a' }]), /kid 'key-a' is used twice/],
  ])('stops start-up when %s, naming the variable and never echoing key material', (_name, value, message) => {
    const attempt = () => loadConfig(UserEnv, { ...base, JWT_SIGNING_KEYS: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(PEM_LABEL);
      expect((error as Error).message).not.toContain(keyA.privateKeyPem.slice(40, 80));
    }
  });

  it('requires a 32-byte EVENT_SEALING_KEY', () => {
    expect(() => loadConfig(UserEnv, { JWT_SIGNING_KEYS: JSON.stringify([keyA]), EVENT_SEALING_KEY: 'c2hvcnQ=' })).toThrow(/EVENT_SEALING_KEY must be 32 random bytes/);
  });
});
