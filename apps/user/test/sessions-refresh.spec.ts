import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { email, GOOD_PASSWORD, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

let app: UserApp;

beforeAll(async () => {
  app = await startUserApp(userTestEnv('user_sess'));
});
afterAll(() => app?.close());

const refresh = (refreshToken: string) => app.api.post('/api/v1/auth/refresh', { refreshToken });

describe('refresh rotation', () => {
  it('returns a new refresh token each time and refuses the used one', async () => {
    const user = await signUpAndIn(app);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(first.body.sessionId).toBe(user.sessionId);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect((await app.api.get('/api/v1/users/me', second.body.accessToken)).status).toBe(200);
  });

  it('detects reuse: revokes the family and session, answers 401 INVALID_GRANT and emits auth.refresh-token-reused', async () => {
    const user = await signUpAndIn(app);
    const rotated = await refresh(user.refreshToken);
    const reuse = await refresh(user.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.headers.get('content-type')).toMatch(/problem\+json/);
    expect(reuse.body).toMatchObject({ code: 'INVALID_GRANT', error: 'invalid_grant' });
    // The legitimate holder's newest token is dead too, and so is the session's access token.
    expect((await refresh(rotated.body.refreshToken)).body.code).toBe('INVALID_GRANT');
    expect((await app.api.get('/api/v1/users/me', rotated.body.accessToken)).body.code).toBe('SESSION_REVOKED');
    const event = await waitFor(async () => (await app.events()).find((e) => e.type === 'auth.refresh-token-reused' && e.subject === user.id));
    expect(event.data).toEqual({ userId: user.id, sessionId: user.sessionId });
  });

  it('refuses garbage and unknown tokens with 401 INVALID_GRANT (and a missing one with 400)', async () => {
    const user = await signUpAndIn(app);
    for (const token of ['garbage', `${user.sessionId}.${'A'.repeat(43)}`, `00000000-0000-4000-8000-000000000000.${'B'.repeat(43)}`]) {
      expect((await refresh(token)).body.code).toBe('INVALID_GRANT');
    }
    // A guessed token for a real session is not "reuse": the session survives.
    expect((await refresh(user.refreshToken)).status).toBe(200);
    expect((await app.api.post('/api/v1/auth/refresh', {})).status).toBe(400);
  });

  it('ends sessions whose refresh token idled past its lifetime', async () => {
    const user = await signUpAndIn(app);
    app.advance(31 * 24 * 3_600_000);
    expect((await refresh(user.refreshToken)).body.code).toBe('INVALID_GRANT');
  });
});

describe('device sessions', () => {
  it('lists my sessions with device, ip, times and the current one', async () => {
    const address = email('devices');
    const phone = await signUpAndIn(app, address, GOOD_PASSWORD, 'DentalOS iOS/2.3');
    const laptop = await app.api.call('POST', '/api/v1/auth/login', { body: { email: address, password: GOOD_PASSWORD }, headers: { 'user-agent': 'Firefox/128' } });
    const list = await app.api.get('/api/v1/users/me/sessions', phone.accessToken);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    const byId = Object.fromEntries((list.body as unknown as Array<Record<string, unknown>>).map((s) => [s.id, s]));
    expect(byId[phone.sessionId]).toMatchObject({ userAgent: 'DentalOS iOS/2.3', ip: '127.0.0.1', current: true, createdAt: expect.any(String), lastSeenAt: expect.any(String) });
    expect(byId[laptop.body.sessionId]).toMatchObject({ userAgent: 'Firefox/128', current: false });
  });

  it('revokes one session: its refresh and access tokens stop at once', async () => {
    const address = email('revoke');
    const keep = await signUpAndIn(app, address);
    const other = (await app.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD })).body;
    const revoked = await app.api.call('DELETE', `/api/v1/users/me/sessions/${other.sessionId}`, { token: keep.accessToken });
    expect(revoked.status).toBe(204);
    expect((await refresh(other.refreshToken)).body.code).toBe('INVALID_GRANT');
    expect((await app.api.get('/api/v1/users/me', other.accessToken)).body.code).toBe('SESSION_REVOKED');
    expect((await app.api.get('/api/v1/users/me', keep.accessToken)).status).toBe(200);
  });

  it("cannot revoke another user's session (404) and validates the id (400)", async () => {
    const me = await signUpAndIn(app);
    const stranger = await signUpAndIn(app);
    expect((await app.api.call('DELETE', `/api/v1/users/me/sessions/${stranger.sessionId}`, { token: me.accessToken })).status).toBe(404);
    expect((await app.api.call('DELETE', '/api/v1/users/me/sessions/not-a-uuid', { token: me.accessToken })).status).toBe(400);
    expect((await refresh(stranger.refreshToken)).status).toBe(200);
  });

  it('revokes all other sessions and keeps the current one', async () => {
    const address = email('others');
    const current = await signUpAndIn(app, address);
    const others = [
      (await app.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD })).body,
      (await app.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD })).body,
    ];
    const result = await app.api.call('DELETE', '/api/v1/users/me/sessions', { token: current.accessToken });
    expect(result).toMatchObject({ status: 200, body: { revoked: 2 } });
    for (const other of others) expect((await refresh(other.refreshToken)).body.code).toBe('INVALID_GRANT');
    expect((await refresh(current.refreshToken)).status).toBe(200);
  });

  it('logs out: the session ends and its tokens stop working', async () => {
    const user = await signUpAndIn(app);
    expect((await app.api.post('/api/v1/auth/logout', {}, user.accessToken)).status).toBe(204);
    expect((await refresh(user.refreshToken)).body.code).toBe('INVALID_GRANT');
    expect((await app.api.get('/api/v1/users/me', user.accessToken)).body.code).toBe('SESSION_REVOKED');
  });

  it('requires a token on every session route', async () => {
    expect((await app.api.get('/api/v1/users/me/sessions')).body.code).toBe('TOKEN_MISSING');
    expect((await app.api.post('/api/v1/auth/logout', {})).status).toBe(401);
  });
});
