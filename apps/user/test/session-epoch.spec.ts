import { openSecret } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { userEvents } from '../src/events/user-events.js';
import { SessionRepository } from '../src/sessions/session.repository.js';
import { UserRepository } from '../src/users/user.repository.js';
import { email, GOOD_PASSWORD, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

/**
 * Ending an account's sessions is part of the write that changes the account (its session epoch);
 * marking each session revoked afterwards is cleanup. These tests make that cleanup fail or skip
 * it, and the old sessions must still be refused.
 */
let app: UserApp;
let env: ReturnType<typeof userTestEnv>;
let adminToken: string;

beforeAll(async () => {
  env = userTestEnv('user_epoch');
  app = await startUserApp(env);
  const admin = await signUpAndIn(app, email('root'));
  await app.users().updateOne({ _id: admin.id as never }, { $set: { roles: ['platform-admin'] } });
  adminToken = (await app.api.post('/api/v1/auth/login', { email: admin.email, password: GOOD_PASSWORD })).body.accessToken;
});
afterAll(() => app?.close());

const refresh = (refreshToken: string) => app.api.post('/api/v1/auth/refresh', { refreshToken });

/** The cleanup write fails for real callers of the service; the account write before it is untouched. */
function failSessionCleanup() {
  const cleanup = vi.spyOn(app.app.get(SessionRepository), 'revokeAllOf').mockRejectedValueOnce(new Error('sessions collection unavailable'));
  onTestFinished(() => cleanup.mockRestore());
  return cleanup;
}

interface SignedIn {
  refreshToken: string;
  accessToken: string;
}

async function signIn(address: string): Promise<SignedIn> {
  const login = await app.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD });
  expect(login.status).toBe(200);
  return login.body as SignedIn;
}

async function openSessionsOf(userId: string) {
  return app.sessions().countDocuments({ userId, revokedAt: { $exists: false } });
}

async function expectRefused(session: SignedIn) {
  expect((await refresh(session.refreshToken)).body.code).toBe('INVALID_GRANT');
  expect((await app.api.get('/api/v1/users/me', session.accessToken)).body.code).toBe('SESSION_REVOKED');
}

async function resetToken(userId: string): Promise<string> {
  const event = await waitFor(async () => (await app.events()).find((e) => e.type === 'auth.password-reset-requested' && e.subject === userId));
  return openSecret(event.data.sealedToken as string, env.EVENT_SEALING_KEY);
}

describe('sessions end with the account change, not with the cleanup after it', () => {
  it('password reset: answers 204 although marking sessions revoked failed, and the old sessions are refused', async () => {
    const user = await signUpAndIn(app);
    const otherDevice = await signIn(user.email);
    await app.api.post('/api/v1/auth/password-reset/request', { email: user.email });
    const token = await resetToken(user.id);
    const cleanup = failSessionCleanup();

    expect((await app.api.post('/api/v1/auth/password-reset/confirm', { token, newPassword: 'fresh-enamel-river-7' })).status).toBe(204);

    expect(cleanup).toHaveBeenCalledOnce();
    expect(await openSessionsOf(user.id)).toBe(2);
    await expectRefused(user);
    await expectRefused(otherDevice);
    const fresh = await app.api.post('/api/v1/auth/login', { email: user.email, password: 'fresh-enamel-river-7' });
    expect((await refresh(fresh.body.refreshToken)).status).toBe(200);
  });

  it('password change written without any session cleanup still refuses sessions opened before it', async () => {
    const user = await signUpAndIn(app);
    const users = app.app.get(UserRepository);
    const now = new Date();
    const requested = userEvents.passwordResetRequested({ userId: user.id, email: user.email, locale: 'en', sealedToken: 'sealed', expiresAt: now.toISOString() });
    await users.startPasswordReset(user.id, { tokenHash: 'pending', expiresAt: new Date(now.getTime() + 60_000) }, requested);
    const changed = userEvents.passwordChanged(user.id, user.email, 'en', 'password-reset');
    expect(await users.completePasswordReset(user.id, 'pending', 'new-hash', now, { at: now, action: 'password-reset' }, changed)).toBe(true);

    expect(await openSessionsOf(user.id)).toBe(1);
    await expectRefused(user);
  });

  it('a session epoch raised directly in the stored account refuses older sessions, new logins work', async () => {
    const user = await signUpAndIn(app);
    await app.users().updateOne({ _id: user.id as never }, { $inc: { sessionEpoch: 1 } });
    await expectRefused(user);
    const again = await signIn(user.email);
    expect((await refresh(again.refreshToken)).status).toBe(200);
    expect((await app.api.get('/api/v1/users/me', again.accessToken)).status).toBe(200);
  });

  it('deactivation: answers 200 although marking sessions revoked failed; reactivation does not revive old sessions', async () => {
    const user = await signUpAndIn(app);
    const cleanup = failSessionCleanup();

    const deactivated = await app.api.post(`/api/v1/users/${user.id}/deactivate`, {}, adminToken);
    expect(deactivated).toMatchObject({ status: 200, body: { status: 'deactivated' } });

    expect(cleanup).toHaveBeenCalledOnce();
    expect(await openSessionsOf(user.id)).toBe(1);
    await expectRefused(user);
    expect((await app.api.post(`/api/v1/users/${user.id}/reactivate`, {}, adminToken)).body.status).toBe('active');
    await expectRefused(user);
  });

  it('deletion: answers 204 although marking sessions revoked failed, and the old sessions are refused', async () => {
    const user = await signUpAndIn(app);
    const otherDevice = await signIn(user.email);
    const cleanup = failSessionCleanup();

    expect((await app.api.call('DELETE', '/api/v1/users/me', { token: user.accessToken })).status).toBe(204);

    expect(cleanup).toHaveBeenCalledOnce();
    expect(await openSessionsOf(user.id)).toBe(2);
    await expectRefused(otherDevice);
  });
});

