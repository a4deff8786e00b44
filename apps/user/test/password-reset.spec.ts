import { openSecret } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { email, GOOD_PASSWORD, MINUTE, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

let app: UserApp;
let env: ReturnType<typeof userTestEnv>;

beforeAll(async () => {
  env = userTestEnv('user_reset');
  app = await startUserApp(env);
});
afterAll(() => app?.close());

const requestReset = (address: string) => app.api.post('/api/v1/auth/password-reset/request', { email: address });
const confirm = (token: string, newPassword = 'fresh-enamel-river-7') => app.api.post('/api/v1/auth/password-reset/confirm', { token, newPassword });

async function resetTokens(userId: string, count: number): Promise<string[]> {
  const events = await waitFor(async () => {
    const found = (await app.events()).filter((e) => e.type === 'auth.password-reset-requested' && e.subject === userId);
    return found.length >= count ? found : undefined;
  }, { what: `${count} reset events` });
  return events.map((event) => openSecret(event.data.sealedToken as string, env.EVENT_SEALING_KEY));
}

describe('password reset', () => {
  it('answers 202 with the same body whether or not the account exists', async () => {
    const user = await signUpAndIn(app);
    const known = await requestReset(user.email);
    const unknown = await requestReset(email('ghost'));
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.text).toBe(unknown.text);
    const [event] = await waitFor(async () => {
      const found = (await app.events()).filter((e) => e.type === 'auth.password-reset-requested' && e.subject === user.id);
      return found.length ? found : undefined;
    });
    expect(event!.data).toMatchObject({ userId: user.id, email: user.email, locale: 'en', sealedToken: expect.any(String), expiresAt: expect.any(String) });
    expect(Date.parse(event!.data.expiresAt as string) - Date.now()).toBeLessThanOrEqual(20 * MINUTE);
  });

  it('changes the password, revokes every session and emits auth.password-changed; the token is single use', async () => {
    const user = await signUpAndIn(app);
    const otherDevice = (await app.api.post('/api/v1/auth/login', { email: user.email, password: GOOD_PASSWORD })).body;
    await requestReset(user.email);
    const [token] = await resetTokens(user.id, 1);
    expect((await confirm(token!)).status).toBe(204);

    for (const session of [user, otherDevice]) {
      expect((await app.api.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).body.code).toBe('INVALID_GRANT');
      expect((await app.api.get('/api/v1/users/me', session.accessToken)).body.code).toBe('SESSION_REVOKED');
    }
    expect((await app.api.post('/api/v1/auth/login', { email: user.email, password: GOOD_PASSWORD })).status).toBe(401);
    expect((await app.api.post('/api/v1/auth/login', { email: user.email, password: 'fresh-enamel-river-7' })).status).toBe(200);
    const again = await confirm(token!, 'another-new-passphrase');
    expect(again).toMatchObject({ status: 400, body: { code: 'LINK_TOKEN_INVALID' } });
    await waitFor(async () => (await app.events()).some((e) => e.type === 'auth.password-changed' && e.subject === user.id), { what: 'auth.password-changed' });
  });

  it('voids an older link when a newer one is requested', async () => {
    const user = await signUpAndIn(app);
    await requestReset(user.email);
    await resetTokens(user.id, 1);
    await requestReset(user.email);
    const [older, newer] = await resetTokens(user.id, 2);
    expect((await confirm(older!)).body.code).toBe('LINK_TOKEN_INVALID');
    expect((await confirm(newer!)).status).toBe(204);
  });

  it('refuses a link older than 20 minutes', async () => {
    const user = await signUpAndIn(app);
    await requestReset(user.email);
    const [token] = await resetTokens(user.id, 1);
    app.advance(20 * MINUTE + 1_000);
    expect((await confirm(token!)).body.code).toBe('LINK_TOKEN_INVALID');
  });

  it('applies the password policy to the new password without consuming the token', async () => {
    const user = await signUpAndIn(app);
    await requestReset(user.email);
    const [token] = await resetTokens(user.id, 1);
    const weak = await confirm(token!, 'password1');
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0]).toMatchObject({ field: 'newPassword', constraint: 'passwordPolicy' });
    expect((await confirm(token!, 'short')).body.errors[0].field).toBe('newPassword');
    expect((await confirm(token!)).status).toBe(204);
  });

  it('validates the request bodies', async () => {
    expect((await app.api.post('/api/v1/auth/password-reset/request', { email: 'nope' })).status).toBe(400);
    expect((await app.api.post('/api/v1/auth/password-reset/confirm', { token: 'x', newPassword: GOOD_PASSWORD })).status).toBe(400);
  });
});
