import { openSecret } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { email, GOOD_PASSWORD, startUserApp, type UserApp, userTestEnv } from './support/user-app.js';

let app: UserApp;
let env: ReturnType<typeof userTestEnv>;

beforeAll(async () => {
  env = userTestEnv('user_reg');
  app = await startUserApp(env);
});
afterAll(() => app?.close());

async function createdEvent(userId: string) {
  return waitFor(async () => (await app.events()).find((event) => event.type === 'user.created' && event.subject === userId), { what: `user.created of ${userId}` });
}

describe('registration', () => {
  it('creates an account, normalizes the email and emits user.created with a sealed verification token', async () => {
    const result = await app.api.post('/api/v1/auth/register', {
      email: '  Ana.Silva+Reg@Clinic.Example ',
      password: GOOD_PASSWORD,
      displayName: ' Dr. Ana Silva ',
      locale: 'pt-BR',
      timezone: 'Europe/Lisbon',
    });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ email: 'ana.silva+reg@clinic.example', displayName: 'Dr. Ana Silva', locale: 'pt-BR', timezone: 'Europe/Lisbon', emailVerified: false, roles: [] });
    expect(result.body).not.toHaveProperty('passwordHash');

    const event = await createdEvent(result.body.id);
    expect(event.data).toMatchObject({ userId: result.body.id, email: 'ana.silva+reg@clinic.example', locale: 'pt-BR', timezone: 'Europe/Lisbon' });
    const verification = event.data.verification as { sealedToken: string; expiresAt: string };
    const token = openSecret(verification.sealedToken, env.EVENT_SEALING_KEY);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hoursValid = (Date.parse(verification.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursValid).toBeGreaterThan(23.9);
    expect(hoursValid).toBeLessThanOrEqual(24);

    const stored = await app.users().findOne({ _id: result.body.id as never });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('answers a duplicate email with 409 in the same words whether or not the first account is verified', async () => {
    const unverified = email('dup');
    const verified = email('dup');
    await app.api.post('/api/v1/auth/register', { email: unverified, password: GOOD_PASSWORD });
    const second = await app.api.post('/api/v1/auth/register', { email: verified, password: GOOD_PASSWORD });
    const token = openSecret(((await createdEvent(second.body.id)).data.verification as { sealedToken: string }).sealedToken, env.EVENT_SEALING_KEY);
    expect((await app.api.post('/api/v1/auth/verify-email', { token })).status).toBe(204);

    const again = [
      await app.api.post('/api/v1/auth/register', { email: unverified.toUpperCase(), password: GOOD_PASSWORD }),
      await app.api.post('/api/v1/auth/register', { email: ` ${verified} `, password: GOOD_PASSWORD }),
    ];
    for (const result of again) {
      expect(result.status).toBe(409);
      expect(result.headers.get('content-type')).toMatch(/problem\+json/);
      expect(result.body.code).toBe('EMAIL_TAKEN');
    }
    expect(again[0]!.body.detail).toBe(again[1]!.body.detail);
    expect(await app.users().countDocuments({ email: unverified })).toBe(1);
  });

  it.each([
    ['too short', { password: 'short7!' }, 'password'],
    ['longer than 128', { password: 'x'.repeat(129) }, 'password'],
    ['not an email', { email: 'not-an-email' }, 'email'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['a bad locale', { locale: 'english please' }, 'locale'],
    ['an unknown field', { admin: true }, 'admin'],
  ])('refuses %s with 400 naming the field', async (_name, patch, field) => {
    const result = await app.api.post('/api/v1/auth/register', { email: email('bad'), password: GOOD_PASSWORD, ...patch });
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('VALIDATION_FAILED');
    expect(result.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('accepts a 64+ character passphrase without composition rules', async () => {
    const result = await app.api.post('/api/v1/auth/register', { email: email('long'), password: 'all lower case words are fine when there are enough of them to be long' });
    expect(result.status).toBe(201);
  });

  it.each(['password123', 'Football1', 'qwertyuiop', 'iloveyou2'])('refuses the common password %s', async (password) => {
    const address = email('weak');
    const result = await app.api.post('/api/v1/auth/register', { email: address, password });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([expect.objectContaining({ field: 'password', constraint: 'passwordPolicy' })]);
    expect(await app.users().countDocuments({ email: address })).toBe(0);
  });

  it('refuses a body with MongoDB operators', async () => {
    const result = await app.api.post('/api/v1/auth/register', { email: { $gt: '' }, password: GOOD_PASSWORD });
    expect(result.status).toBe(400);
  });
});

describe('email verification', () => {
  async function registerWithToken() {
    const result = await app.api.post('/api/v1/auth/register', { email: email('verify'), password: GOOD_PASSWORD });
    const event = await createdEvent(result.body.id);
    return { id: result.body.id as string, token: openSecret((event.data.verification as { sealedToken: string }).sealedToken, env.EVENT_SEALING_KEY) };
  }

  it('verifies once, emits user.verified, and refuses the same token again', async () => {
    const { id, token } = await registerWithToken();
    expect((await app.api.post('/api/v1/auth/verify-email', { token })).status).toBe(204);
    const again = await app.api.post('/api/v1/auth/verify-email', { token });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('LINK_TOKEN_INVALID');
    const stored = await app.users().findOne({ _id: id as never });
    expect(stored?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(stored?.verification).toBeUndefined();
    await waitFor(async () => (await app.events()).some((event) => event.type === 'user.verified' && event.subject === id), { what: 'user.verified' });
  });

  it('refuses a token after 24 hours', async () => {
    const { token } = await registerWithToken();
    app.advance(24 * 3_600_000 + 1_000);
    const result = await app.api.post('/api/v1/auth/verify-email', { token });
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('LINK_TOKEN_INVALID');
  });

  it('refuses a malformed or unknown token with 400', async () => {
    expect((await app.api.post('/api/v1/auth/verify-email', { token: 'abc' })).body.code).toBe('VALIDATION_FAILED');
    expect((await app.api.post('/api/v1/auth/verify-email', { token: 'A'.repeat(43) })).body.code).toBe('LINK_TOKEN_INVALID');
  });
});
