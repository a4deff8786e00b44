import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, startTestTokenIssuer, type TestApp, type TestTokenIssuer } from '@dentalos/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteKeySet, type RemoteKeySetOptions, TokenVerifier } from '../src/index.js';
import { AuthFixtureEnv, authFixtureModule } from './fixture-app.js';


interface JwksServer {
  url: string;
  close(): Promise<void>;
}

/** A JWKS endpoint that answers as told, for failures the token issuer never produces. */
async function startJwksServer(respond: (response: ServerResponse) => void): Promise<JwksServer> {
  const server = createServer((_request, response) => respond(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const KEYS_UNAVAILABLE = { status: 503, code: 'AUTH_KEYS_UNAVAILABLE', headers: { 'retry-after': '5' } };

let issuer: TestTokenIssuer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});
afterAll(async () => {
  await issuer?.close();
});

async function startOwnedJwksServer(respond: (response: ServerResponse) => void): Promise<JwksServer> {
  const server = await startJwksServer(respond);
  cleanups.push(() => server.close());
  return server;
}

async function startApp(jwksIssuer: TestTokenIssuer, remoteKeys: RemoteKeySetOptions = {}): Promise<TestApp<AuthFixtureEnv>> {
  const app = await startTestApp(authFixtureModule({ remoteKeys }), { config: AuthFixtureEnv, title: 'auth outage' }, jwksIssuer.env);
  cleanups.push(() => app.close());
  return app;
}

async function callWhoAmI(app: TestApp<AuthFixtureEnv>, token: string) {
  const response = await fetch(`${app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

function verifierFor(url: string, options?: RemoteKeySetOptions): TokenVerifier {
  return new TokenVerifier(createRemoteKeySet(new URL(url), options), { issuer: issuer.env.JWT_ISSUER, audience: issuer.env.JWT_AUDIENCE });
}

async function unreachableJwksUrl(): Promise<string> {
  const server = await startJwksServer((response) => response.end());
  await server.close();
  return server.url;
}

describe('token verification while the key set cannot be fetched', () => {
  it('answers 503 AUTH_KEYS_UNAVAILABLE with Retry-After when the key set was never fetched', async () => {
    const stopped = await startTestTokenIssuer();
    const token = await stopped.sign({ sub: 'user-1' });
    await stopped.close();
    const app = await startApp(stopped);

    const result = await callWhoAmI(app, token);

    expect(result).toMatchObject({ status: 503, retryAfter: '5', body: { code: 'AUTH_KEYS_UNAVAILABLE' } });
    expect(result.type).toMatch(/problem\+json/);
  });

  it('keeps verifying tokens signed with a known key after the publisher stops and the cache has aged', async () => {
    const publisher = await startTestTokenIssuer();
    cleanups.push(() => publisher.close());
    const app = await startApp(publisher, { cacheMaxAge: 50 });
    expect((await callWhoAmI(app, await publisher.sign({ sub: 'before' }))).status).toBe(200);

    await publisher.close();
    await sleep(100);

    expect(await callWhoAmI(app, await publisher.sign({ sub: 'during-outage' }))).toMatchObject({ status: 200, body: { id: 'during-outage' } });
    expect(await callWhoAmI(app, await publisher.sign({ sub: 'still-during-outage' }))).toMatchObject({ status: 200 });
    const unknownKey = await callWhoAmI(app, await publisher.sign({}, { kid: 'published-during-outage' }));
    expect(unknownKey).toMatchObject({ status: 503, retryAfter: '5', body: { code: 'AUTH_KEYS_UNAVAILABLE' } });
  });

  it.each([
    ['refuses connections', unreachableJwksUrl],
    ['answers 500', async () => (await startOwnedJwksServer((response) => response.writeHead(500).end())).url],
    ['answers 200 with something other than a key set', async () => (await startOwnedJwksServer((response) => response.end('{"keys":"none"}'))).url],
    ['never answers', async () => (await startOwnedJwksServer(() => undefined)).url],
  ])('refuses with 503 and Retry-After while the JWKS endpoint %s', async (_name, jwksUrl) => {
    const verifier = verifierFor(await jwksUrl(), { timeoutDuration: 200 });

    await expect(verifier.verify(await issuer.sign())).rejects.toMatchObject(KEYS_UNAVAILABLE);
  });

  it('still refuses a token whose kid a healthy key set lacks with 401 TOKEN_INVALID', async () => {
    const verifier = verifierFor(issuer.env.JWKS_URL);
    await verifier.verify(await issuer.sign());

    await expect(verifier.verify(await issuer.sign({}, { kid: 'unknown-kid' }))).rejects.toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
  });

  it('refuses a token signed by another key under a known kid with 401 even from the last good key set', async () => {
    const publisher = await startTestTokenIssuer();
    const impostor = await startTestTokenIssuer();
    cleanups.push(() => impostor.close());
    const verifier = verifierFor(publisher.env.JWKS_URL, { cacheMaxAge: 0 });
    const genuine = await publisher.sign();
    const kid = JSON.parse(Buffer.from(genuine.split('.')[0]!, 'base64url').toString()).kid as string;
    await verifier.verify(genuine);
    await publisher.close();

    await expect(verifier.verify(await publisher.sign())).resolves.toBeDefined();
    await expect(verifier.verify(await impostor.sign({}, { kid }))).rejects.toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
  });
});
