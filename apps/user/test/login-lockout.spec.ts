import { decodeJwt, decodeProtectedHeader } from 'jose';
import { openSecret } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { email, GOOD_PASSWORD, MINUTE, signUpAndIn, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

let app: UserApp;
let env: ReturnType<typeof userTestEnv>;

beforeAll(async () => {
  env = userTestEnv('user_login');
  app = await startUserApp(env);
});
afterAll(() => app?.close());

const login = (address: string, password: string) => app.api.post('/api/v1/auth/login', { email: address, password });

/** `user_logins_total` by outcome, from the service's own /metrics. */
async function loginOutcomes(): Promise<Record<string, number>> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const outcomes: Record<string, number> = {};
  for (const [, outcome, value] of text.matchAll(/^user_logins_total\{[^}]*outcome="([^"]+)"[^}]*\} (\d+)/gm)) outcomes[outcome!] = Number(value);
  return outcomes;
}

async function makeAdmin() {
  const admin = await signUpAndIn(app, email('admin'));
  await app.users().updateOne({ _id: admin.id as never }, { $set: { roles: ['platform-admin'] } });
  const fresh = await login(admin.email, GOOD_PASSWORD);
  return fresh.body.accessToken as string;
}

describe('login', () => {
  it('returns an RS256 access token per the platform contract and an opaque refresh token', async () => {
    const user = await signUpAndIn(app);
    const header = decodeProtectedHeader(user.accessToken);
    const claims = decodeJwt(user.accessToken);
    expect(header).toMatchObject({ alg: 'RS256', kid: 'user_login-1', typ: 'JWT' });
    expect(claims).toMatchObject({ sub: user.id, sid: user.sessionId, roles: [], iss: 'dentalos-user', aud: 'dentalos-api' });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(600);
    expect(user.refreshToken).toMatch(new RegExp(`^${user.sessionId}\\.[A-Za-z0-9_-]{43}$`));
    const me = await app.api.get('/api/v1/users/me', user.accessToken);
    expect(me).toMatchObject({ status: 200, body: { id: user.id, email: user.email } });
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const user = await signUpAndIn(app);
    const unknown = await login(email('nobody'), GOOD_PASSWORD);
    const wrong = await login(user.email, 'not-the-password-1');
    for (const result of [unknown, wrong]) {
      expect(result.status).toBe(401);
      expect(result.body.code).toBe('INVALID_CREDENTIALS');
    }
    expect(unknown.body.detail).toBe(wrong.body.detail);
    expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(wrong.body).sort());
  });

  it('accepts the email in any case and with spaces', async () => {
    const user = await signUpAndIn(app);
    expect((await login(`  ${user.email.toUpperCase()} `, GOOD_PASSWORD)).status).toBe(200);
  });

  it('refuses bad input with 400, never 500', async () => {
    for (const body of [{}, { email: 'x', password: 'y' }, { email: email(), password: 42 }, { email: email(), password: 'p'.repeat(200) }]) {
      const result = await app.api.post('/api/v1/auth/login', body);
      expect(result.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('lockout', () => {
  async function fail(address: string, times: number) {
    for (let i = 0; i < times; i++) expect((await login(address, `wrong-password-${i}`)).body.code).toBe('INVALID_CREDENTIALS');
  }

  it('locks after 5 failures in 15 minutes with the same answer as a wrong password, for 15 minutes', async () => {
    const user = await signUpAndIn(app);
    await fail(user.email, 5);
    const locked = await login(user.email, GOOD_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.body.code).toBe('INVALID_CREDENTIALS');
    app.advance(14 * MINUTE);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(401);
    app.advance(1 * MINUTE + 1_000);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('does not lock when the failures are spread over more than the window', async () => {
    const user = await signUpAndIn(app);
    await fail(user.email, 4);
    app.advance(16 * MINUTE);
    await fail(user.email, 4);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('doubles the lock on repeats until a successful login, and audits every lock', async () => {
    const user = await signUpAndIn(app);
    await fail(user.email, 5);
    app.advance(15 * MINUTE + 1_000);
    await fail(user.email, 5);
    app.advance(15 * MINUTE + 1_000);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(401);
    app.advance(15 * MINUTE);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(200);

    const adminToken = await makeAdmin();
    const view = await app.api.get(`/api/v1/users/${user.id}`, adminToken);
    const locks = view.body.audit.filter((entry: { action: string }) => entry.action === 'account-locked');
    expect(locks.map((entry: { detail: string }) => entry.detail)).toEqual([
      'locked for 900 s after 5 failed logins',
      'locked for 1800 s after 5 failed logins',
    ]);
  });

  it('counts every one of 20 parallel wrong passwords and locks exactly once, at the threshold', async () => {
    const user = await signUpAndIn(app);
    const before = await loginOutcomes();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(user.email, `wrong-password-${i}`)));
    const after = await loginOutcomes();

    expect(answers.every((answer) => answer.body.code === 'INVALID_CREDENTIALS')).toBe(true);
    const evaluated = after['wrong-password']! - before['wrong-password']!;
    const refusedAsLocked = (after.locked ?? 0) - (before.locked ?? 0);
    expect(evaluated + refusedAsLocked).toBe(20);
    expect(evaluated).toBeGreaterThanOrEqual(app.env.LOCKOUT_THRESHOLD);
    const stored = await app.users().findOne({ _id: user.id as never });
    expect(stored?.lockout).toMatchObject({ failures: evaluated, lockCount: 1, lockedUntil: expect.any(Date) });
    const locks = (stored?.audit as Array<{ action: string; detail: string }>).filter((entry) => entry.action === 'account-locked');
    expect(locks.map((entry) => entry.detail)).toEqual(['locked for 900 s after 5 failed logins']);
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(401);
  });

  it('lets an admin unlock, audited with the admin id', async () => {
    const user = await signUpAndIn(app);
    await fail(user.email, 5);
    const adminToken = await makeAdmin();
    const before = await app.api.get(`/api/v1/users/${user.id}`, adminToken);
    expect(before.body.lockedUntil).toEqual(expect.any(String));
    const unlocked = await app.api.post(`/api/v1/users/${user.id}/unlock`, {}, adminToken);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    expect(unlocked.body.audit.at(-1)).toMatchObject({ action: 'account-unlocked', actorId: expect.any(String) });
    expect((await login(user.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('still lets a locked account reset its password, which lifts the lock', async () => {
    const user = await signUpAndIn(app);
    await fail(user.email, 5);
    expect((await app.api.post('/api/v1/auth/password-reset/request', { email: user.email })).status).toBe(202);
    const event = await waitFor(async () => (await app.events()).find((e) => e.type === 'auth.password-reset-requested' && e.subject === user.id));
    const token = openSecret(event.data.sealedToken as string, env.EVENT_SEALING_KEY);
    expect((await app.api.post('/api/v1/auth/password-reset/confirm', { token, newPassword: 'a-brand-new-passphrase' })).status).toBe(204);
    expect((await login(user.email, 'a-brand-new-passphrase')).status).toBe(200);
  });
});

describe('rehash on login', () => {
  it('rehashes a stored hash when the Argon2 parameters change', async () => {
    const address = email('rehash');
    await app.api.post('/api/v1/auth/register', { email: address, password: GOOD_PASSWORD });
    const before = (await app.users().findOne({ email: address }))!.passwordHash as string;
    expect(before).toContain('t=2');
    const stronger = await startUserApp({ ...env, ARGON2_TIME_COST: '3' });
    try {
      expect((await stronger.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD })).status).toBe(200);
      const after = (await app.users().findOne({ email: address }))!.passwordHash as string;
      expect(after).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=3\$/);
      expect((await stronger.api.post('/api/v1/auth/login', { email: address, password: GOOD_PASSWORD })).status).toBe(200);
    } finally {
      await stronger.close();
    }
  });
});
