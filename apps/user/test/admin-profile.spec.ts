import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { email, GOOD_PASSWORD, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

let app: UserApp;
let adminToken: string;

beforeAll(async () => {
  app = await startUserApp(userTestEnv('user_admin'));
  const admin = await signUpAndIn(app, email('root'));
  await app.users().updateOne({ _id: admin.id as never }, { $set: { roles: ['platform-admin'] } });
  adminToken = (await app.api.post('/api/v1/auth/login', { email: admin.email, password: GOOD_PASSWORD })).body.accessToken;
});
afterAll(() => app?.close());

describe('my profile', () => {
  it('reads and updates my profile, validating each field', async () => {
    const user = await signUpAndIn(app);
    const updated = await app.api.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: { displayName: 'Dr. Rui', locale: 'pt-PT', timezone: 'Europe/Lisbon' } });
    expect(updated).toMatchObject({ status: 200, body: { displayName: 'Dr. Rui', locale: 'pt-PT', timezone: 'Europe/Lisbon', email: user.email } });
    expect((await app.api.get('/api/v1/users/me', user.accessToken)).body.displayName).toBe('Dr. Rui');
    const bad = await app.api.call('PATCH', '/api/v1/users/me', { token: user.accessToken, body: { timezone: 'Nowhere', email: 'x@y.z' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['email', 'timezone']);
  });

  it('deletes my account: personal data erased, sessions ended, user.deleted emitted, email free again', async () => {
    const user = await signUpAndIn(app);
    expect((await app.api.call('DELETE', '/api/v1/users/me', { token: user.accessToken })).status).toBe(204);
    const stored = await app.users().findOne({ _id: user.id as never });
    expect(stored).toMatchObject({ status: 'deleted' });
    for (const field of ['email', 'displayName', 'passwordHash', 'verification', 'lastLoginAt']) expect(stored).not.toHaveProperty(field);
    const session = await app.sessions().findOne({ _id: user.sessionId as never });
    expect(session).toMatchObject({ revokedReason: 'account-deleted' });
    expect(session).not.toHaveProperty('userAgent');
    expect(session).not.toHaveProperty('ip');
    expect((await app.api.post('/api/v1/auth/refresh', { refreshToken: user.refreshToken })).body.code).toBe('INVALID_GRANT');
    expect((await app.api.post('/api/v1/auth/login', { email: user.email, password: GOOD_PASSWORD })).status).toBe(401);
    await waitFor(async () => (await app.events()).some((e) => e.type === 'user.deleted' && e.subject === user.id), { what: 'user.deleted' });
    expect((await app.api.post('/api/v1/auth/register', { email: user.email, password: GOOD_PASSWORD })).status).toBe(201);
  });
});

describe('administration', () => {
  it('is for platform admins only', async () => {
    const user = await signUpAndIn(app);
    expect((await app.api.get('/api/v1/users', user.accessToken)).status).toBe(403);
    expect((await app.api.post(`/api/v1/users/${user.id}/deactivate`, {}, user.accessToken)).status).toBe(403);
    expect((await app.api.get('/api/v1/users')).status).toBe(401);
  });

  it('lists and searches with cursor pagination, newest first, without overlaps', async () => {
    const tag = `page${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await app.api.post('/api/v1/auth/register', { email: `${tag}.${i}@clinic.example`, password: GOOD_PASSWORD })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?q=${tag.toUpperCase()}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await app.api.get(`/api/v1/users${query}`, adminToken);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await app.api.get('/api/v1/users?limit=0', adminToken)).status).toBe(400);
    expect((await app.api.get('/api/v1/users?cursor=bm9wZQ', adminToken)).body.errors[0].field).toBe('cursor');
    expect((await app.api.get('/api/v1/users?q=.*', adminToken)).body.items).toEqual([]);
  });

  it('deactivates (ending every session) and reactivates an account', async () => {
    const user = await signUpAndIn(app);
    const deactivated = await app.api.post(`/api/v1/users/${user.id}/deactivate`, {}, adminToken);
    expect(deactivated).toMatchObject({ status: 200, body: { status: 'deactivated' } });
    expect((await app.api.post('/api/v1/auth/refresh', { refreshToken: user.refreshToken })).body.code).toBe('INVALID_GRANT');
    expect((await app.api.get('/api/v1/users/me', user.accessToken)).body.code).toBe('SESSION_REVOKED');
    expect((await app.api.post('/api/v1/auth/login', { email: user.email, password: GOOD_PASSWORD })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await app.api.post(`/api/v1/users/${user.id}/deactivate`, {}, adminToken)).body.code).toBe('USER_STATUS_CONFLICT');
    const filtered = await app.api.get(`/api/v1/users?status=deactivated&q=${encodeURIComponent(user.email)}`, adminToken);
    expect(filtered.body.items.map((item: { id: string }) => item.id)).toEqual([user.id]);

    expect((await app.api.post(`/api/v1/users/${user.id}/reactivate`, {}, adminToken)).body.status).toBe('active');
    expect((await app.api.post('/api/v1/auth/login', { email: user.email, password: GOOD_PASSWORD })).status).toBe(200);
    const audit = (await app.api.get(`/api/v1/users/${user.id}`, adminToken)).body.audit.map((entry: { action: string }) => entry.action);
    expect(audit).toEqual(['deactivated', 'reactivated']);
  });

  it('answers unknown and malformed ids with 404 and 400', async () => {
    expect((await app.api.get('/api/v1/users/00000000-0000-4000-8000-000000000000', adminToken)).status).toBe(404);
    expect((await app.api.get('/api/v1/users/not-an-id', adminToken)).status).toBe(400);
  });
});
