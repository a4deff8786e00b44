import { startTestApp, startTestTokenIssuer, type TestApp, type TestTokenIssuer } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, PLATFORM_ADMIN } from '../src/index.js';
import { AuthFixtureEnv, authFixtureModule } from './fixture-app.js';

const AuthFixtureModule = authFixtureModule();

let issuer: TestTokenIssuer;
let impostor: TestTokenIssuer;
let app: TestApp<AuthFixtureEnv>;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  impostor = await startTestTokenIssuer();
  app = await startTestApp(AuthFixtureModule, { config: AuthFixtureEnv, title: 'auth' }, issuer.env);
});
afterAll(async () => {
  await app?.close();
  await issuer?.close();
  await impostor?.close();
});

async function call(path: string, token?: string) {
  const response = await fetch(`${app.url}/api/v1/whoami${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, type: response.headers.get('content-type') };
}

function withHeader(token: string, header: Record<string, unknown>): string {
  const [, payload] = token.split('.');
  return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.`;
}

describe('AuthGuard', () => {
  it('lets a valid token through and exposes the caller, again once it is remembered', async () => {
    const token = await issuer.sign({ sub: 'user-1', roles: ['staff'] });
    expect(await call('', token)).toMatchObject({ status: 200, body: { id: 'user-1', roles: ['staff'] } });
    expect(await call('', token)).toMatchObject({ status: 200, body: { id: 'user-1', roles: ['staff'] } });
  });

  it('refuses a missing token with 401 problem+json', async () => {
    const result = await call('');
    expect(result.status).toBe(401);
    expect(result.type).toMatch(/problem\+json/);
    expect(result.body.code).toBe('TOKEN_MISSING');
  });

  it.each([
    ['expired', () => issuer.sign({}, { expiresIn: -120 }), 'TOKEN_EXPIRED'],
    ['not yet valid', () => issuer.sign({}, { notBefore: 600 }), 'TOKEN_INVALID'],
    ['signed by another key', () => impostor.sign({}, { kid: 'unknown-kid' }), 'TOKEN_INVALID'],
    ['signed by another key under a known kid', async () => impostor.sign({}, { kid: JSON.parse(Buffer.from((await issuer.sign()).split('.')[0]!, 'base64url').toString()).kid }), 'TOKEN_INVALID'],
    ['for another audience', () => issuer.sign({}, { audience: 'someone-else' }), 'TOKEN_INVALID'],
    ['from another issuer', () => issuer.sign({}, { issuer: 'someone-else' }), 'TOKEN_INVALID'],
    ['with alg none', async () => withHeader(await issuer.sign(), { alg: 'none', typ: 'JWT' }), 'TOKEN_INVALID'],
    ['garbage', async () => 'not.a.token', 'TOKEN_INVALID'],
    ['with a critical header', async () => {
      const token = await issuer.sign();
      const [header, payload, signature] = token.split('.');
      const altered = { ...JSON.parse(Buffer.from(header!, 'base64url').toString()), crit: ['exp'] };
      return `${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${payload}.${signature}`;
    }, 'TOKEN_INVALID'],
    ['with a tampered payload', async () => {
      const [header, , signature] = (await issuer.sign({ roles: [] })).split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'x', sid: 'y', roles: [PLATFORM_ADMIN], iss: 'dentalos-user', aud: 'dentalos-api', iat: 1, exp: 9999999999 })).toString('base64url');
      return `${header}.${forged}.${signature}`;
    }, 'TOKEN_INVALID'],
  ])('refuses a token %s with 401', async (_name, make, code) => {
    const result = await call('', await make());
    expect(result.status).toBe(401);
    expect(result.body.code).toBe(code);
  });

  it('keeps public routes open and still recognises a caller', async () => {
    const token = await issuer.sign();
    expect(await call('/public')).toMatchObject({ status: 200, body: { anonymous: true } });
    expect(await call('/public', token)).toMatchObject({ status: 200, body: { anonymous: false } });
    expect(await call('/public', token)).toMatchObject({ status: 200, body: { anonymous: false } });
    expect(await call('/public', await issuer.sign({}, { expiresIn: -120 }))).toMatchObject({ status: 200, body: { anonymous: true } });
  });

  it('enforces global roles with 403, for remembered tokens too', async () => {
    const staff = await issuer.sign({ roles: ['staff'] });
    expect((await call('', staff)).status).toBe(200);
    expect((await call('/admin', staff)).status).toBe(403);
    expect((await call('/admin', await issuer.sign({ roles: [PLATFORM_ADMIN] }))).status).toBe(200);
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc extra', 'abc'],
    ['Bearer ', undefined],
    ['Bearer  abc', undefined],
    ['Bearerabc', undefined],
    ['Basic abc', undefined],
    ['Bear abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads the bearer token of %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('keeps health and metrics public', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
  });
});
