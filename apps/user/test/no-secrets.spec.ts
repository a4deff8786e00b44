import { openSecret } from '@dentalos/events';
import { freePort, spawnTsProcess, type ManagedProcess, waitFor } from '@dentalos/testing';
import mongoose, { type Connection } from 'mongoose';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Api, email, type StreamEvent, userTestEnv } from './support/user-app.js';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '@dentalos/testing';

/**
 * The real service in its own process with debug logging; stdout/stderr are captured whole and
 * scanned, with every response body and every stream entry, for passwords, hashes and tokens.
 */
const env = userTestEnv('user_leak');
let service: ManagedProcess;
let logs = '';
let client: Api;
let db: Connection;
let redis: Redis;

beforeAll(async () => {
  const port = await freePort();
  service = spawnTsProcess(join(import.meta.dirname, '../src/main.ts'), { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug', SHUTDOWN_DRAIN_MS: '0' });
  service.child.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  service.child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  client = api(`http://127.0.0.1:${port}`);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/readiness`)).status === 200, { timeoutMs: 45_000, what: 'user service ready' }).catch((error: Error) => {
    throw new Error(`${error.message}\n${service.output()}`);
  });
  db = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  redis = new Redis(TEST_REDIS_URL);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await db?.close();
  await redis?.quit();
});

async function events(): Promise<StreamEvent[]> {
  const entries = await redis.xrange(`${env.REDIS_KEY_PREFIX}events.user`, '-', '+');
  return entries.map(([, fields]) => ({ ...(JSON.parse(fields[fields.indexOf('event') + 1]!) as StreamEvent), raw: fields.join(' ') }));
}

async function eventOf(type: string, subject: string): Promise<StreamEvent> {
  return waitFor(async () => (await events()).find((event) => event.type === type && event.subject === subject), { what: type });
}

describe('secrets never leave', () => {
  it('keeps passwords, hashes and raw tokens out of responses, logs and events through a full flow', async () => {
    const address = email('leak');
    const password = 'orthodontic-velvet-kettle-91';
    const newPassword = 'periodontal-amber-compass-28';
    const secrets: string[] = [password, newPassword];
    // Tokens may appear in exactly the response that hands them out, nowhere else.
    const issued = new Map<string, number>();
    const issue = (token: string) => {
      secrets.push(token);
      issued.set(token, client.seen.length - 1);
    };

    const registered = await client.post('/api/v1/auth/register', { email: address, password, displayName: 'Leak Test' });
    expect(registered.status).toBe(201);
    const userId = registered.body.id as string;
    const created = await eventOf('user.created', userId);
    const verificationToken = openSecret((created.data.verification as { sealedToken: string }).sealedToken, env.EVENT_SEALING_KEY);
    secrets.push(verificationToken);
    expect((await client.post('/api/v1/auth/verify-email', { token: verificationToken })).status).toBe(204);

    expect((await client.post('/api/v1/auth/login', { email: address, password: 'a-wrong-password-guess' })).status).toBe(401);
    secrets.push('a-wrong-password-guess');
    const login = await client.post('/api/v1/auth/login', { email: address, password });
    issue(login.body.accessToken);
    issue(login.body.refreshToken);
    const refreshed = await client.post('/api/v1/auth/refresh', { refreshToken: login.body.refreshToken });
    issue(refreshed.body.accessToken);
    issue(refreshed.body.refreshToken);
    expect((await client.post('/api/v1/auth/refresh', { refreshToken: login.body.refreshToken })).body.code).toBe('INVALID_GRANT');
    await eventOf('auth.refresh-token-reused', userId);

    const second = await client.post('/api/v1/auth/login', { email: address, password });
    issue(second.body.accessToken);
    issue(second.body.refreshToken);
    expect((await client.get('/api/v1/users/me/sessions', second.body.accessToken)).status).toBe(200);
    expect((await client.post('/api/v1/auth/password-reset/request', { email: address })).status).toBe(202);
    const resetEvent = await eventOf('auth.password-reset-requested', userId);
    const resetToken = openSecret(resetEvent.data.sealedToken as string, env.EVENT_SEALING_KEY);
    secrets.push(resetToken);

    const stored = await db.collection('users').findOne({ _id: userId as never });
    const session = await db.collection('sessions').findOne({ _id: second.body.sessionId as never });
    secrets.push(stored!.passwordHash as string, stored!.passwordReset.tokenHash as string, session!.refreshHash as string);

    expect((await client.post('/api/v1/auth/password-reset/confirm', { token: resetToken, newPassword })).status).toBe(204);
    await eventOf('auth.password-changed', userId);
    const third = await client.post('/api/v1/auth/login', { email: address, password: newPassword });
    issue(third.body.accessToken);
    issue(third.body.refreshToken);
    secrets.push((await db.collection('users').findOne({ _id: userId as never }))!.passwordHash as string);
    expect((await client.call('DELETE', '/api/v1/users/me', { token: third.body.accessToken })).status).toBe(204);
    await eventOf('user.deleted', userId);

    const stream = (await events()).map((event) => event.raw).join('\n');
    expect(logs).toContain('/api/v1/auth/login');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logs, 'a log line').not.toContain(secret);
      expect(stream, 'an event').not.toContain(secret);
      client.seen.forEach((body, index) => {
        if (issued.get(secret) !== index) expect(body, `response #${index}`).not.toContain(secret);
      });
    }
    // Digests are only ever stored, and the argon2 hash prefix never shows anywhere.
    expect(logs + stream + client.seen.join('\n')).not.toContain('$argon2id$');
  });
});
