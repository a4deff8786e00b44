import { startTestApp, waitFor } from '@dentalos/testing';
import type { CloudEvent } from '@dentalos/events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';
import { call, type Harness, startDependencies } from './support/harness.js';
import { assignmentCreated, publish, userCreated, userEvent } from './support/events.js';

let h: Harness;
let userStream: string;
let enterpriseStream: string;
let sealingKey: string;
const early: { created?: CloudEvent; stolen?: CloudEvent } = {};

beforeAll(async () => {
  const deps = await startDependencies();
  userStream = deps.env.EVENTS_USER_STREAM!;
  enterpriseStream = deps.env.EVENTS_ENTERPRISE_STREAM!;
  sealingKey = deps.env.EVENT_SEALING_KEY!;
  // Published while the service is not running (and before its group exists).
  early.created = userCreated(sealingKey);
  early.stolen = userCreated(sealingKey, { verification: undefined });
  await publish(userStream, [early.stolen, early.created]);
  // Another replica read the first event and crashed before acknowledging it.
  const redis = new Redis('redis://127.0.0.1:6379');
  await redis.xgroup('CREATE', userStream, 'notification', '0', 'MKSTREAM');
  await redis.xreadgroup('GROUP', 'notification', 'crashed-replica', 'COUNT', 1, 'STREAMS', userStream, '>');
  await redis.quit();
  const app = await startTestApp(AppModule, appOptions, deps.env);
  h = { ...deps, app, url: app.url, adminToken: await deps.issuer.sign({ sub: 'operator-1', roles: ['platform-admin'] }), close: async () => {
    await app.close();
    await deps.close();
  } };
});
afterAll(() => h?.close());

const mailsTo = (address: string) => h.smtp.messages.filter((m) => m.to.includes(address));
const waitForMails = (address: string, count: number) =>
  waitFor(() => (mailsTo(address).length >= count ? mailsTo(address) : undefined), { what: `${count} mails to ${address}` });

describe('event consumption', () => {
  it('handles events published while the service was down: welcome and verification with the opened token', async () => {
    const data = early.created!.data as { email: string; userId: string };
    const mails = await waitForMails(data.email, 2);
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects).toEqual(['Verify your email address', 'Welcome to DentalOS']);
    const verification = mails.find((m) => m.subject.startsWith('Verify'))!;
    expect(verification.decoded).toContain(`https://app.dentalos.test/verify-email?token=verify-${data.userId}`);
    expect(verification.decoded).not.toContain('v1.');
  });

  it('sends the reset link (critical, despite opt-outs), security alerts and the verified note', async () => {
    const created = userCreated(sealingKey, { verification: undefined });
    const { userId, email } = created.data as { userId: string; email: string };
    await publish(userStream, [created]);
    await waitForMails(email, 1);
    const token = await h.issuer.sign({ sub: userId });
    await call(h.url, 'PUT', '/api/v1/preferences/me', { token, body: { channels: { email: false } } });
    const { sealSecret } = await import('@dentalos/events');
    await publish(userStream, [
      userEvent('auth.password-reset-requested', userId, { email, locale: 'en', sealedToken: sealSecret('reset-123', sealingKey), expiresAt: '2030-01-01T00:10:00Z' }),
      userEvent('auth.password-changed', userId, { email, locale: 'en', reason: 'password-reset' }),
      userEvent('auth.refresh-token-reused', userId, { sessionId: 's-1' }),
      userEvent('user.verified', userId, { email }),
    ]);
    const mails = await waitForMails(email, 4);
    const reset = mails.find((m) => m.subject === 'Reset your DentalOS password')!;
    expect(reset.decoded).toContain('https://app.dentalos.test/reset-password?token=reset-123');
    expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining(['Your password was changed', 'Security alert: a session was revoked']));
    // user.verified is not critical: the opt-out holds, and the skip is recorded.
    await waitFor(async () => {
      const all = await call<{ template: string; channels: { email: { status: string; reason?: string } } }[]>(h.url, 'GET', '/api/v1/notifications', { token });
      return all.body.some((n) => n.template === 'email-verified');
    });
    const after = await call<{ template: string; channels: { email: { status: string; reason?: string } } }[]>(h.url, 'GET', '/api/v1/notifications', { token });
    expect(after.body.find((n) => n.template === 'email-verified')!.channels.email).toMatchObject({ status: 'skipped', reason: 'opted_out' });
  });

  it('a redelivered event never sends twice', async () => {
    const created = userCreated(sealingKey, { verification: undefined });
    const { email } = created.data as { email: string };
    await publish(userStream, [created, created, created]);
    await waitForMails(email, 1);
    const marker = userCreated(sealingKey, { verification: undefined });
    await publish(userStream, [marker]);
    await waitForMails((marker.data as { email: string }).email, 1);
    expect(mailsTo(email)).toHaveLength(1);
  });

  it('tells a provider about an assignment using the contact projection built from user events', async () => {
    const created = userCreated(sealingKey, { verification: undefined, displayName: 'Dr. Who' });
    const { userId, email } = created.data as { userId: string; email: string };
    await publish(userStream, [created]);
    await waitForMails(email, 1);
    await publish(enterpriseStream, [assignmentCreated(userId)]);
    const [, assignment] = await waitForMails(email, 2);
    expect(assignment!.subject).toBe('You were assigned to Lakeside Dental');
    const contact = await call(h.url, 'GET', `/api/v1/contacts/${userId}`, { token: h.adminToken });
    expect(contact.body).toMatchObject({ email, organizationId: 'org-1' });
  });

  it('a poison event goes to dead letters without blocking the stream, and can be replayed once fixed', async () => {
    const unknownProvider = 'provider-not-yet-known';
    const poison = assignmentCreated(unknownProvider);
    const malformed = userEvent('user.created', '', { userId: undefined });
    const after = userCreated(sealingKey, { verification: undefined });
    await publish(enterpriseStream, [poison]);
    await publish(userStream, [malformed, after]);
    await waitForMails((after.data as { email: string }).email, 1);
    const letters = await waitFor(async () => {
      const list = await call<{ id: string; kind: string; eventId?: string; reason: string }[]>(h.url, 'GET', '/api/v1/notifications/dead-letters?kind=event', { token: h.adminToken });
      const ids = list.body.map((l) => l.eventId);
      return ids.includes(poison.id) && ids.includes(malformed.id) ? list.body : undefined;
    });
    expect(letters.find((l) => l.eventId === poison.id)!.reason).toBe('failed 3 times');
    const redis = new Redis('redis://127.0.0.1:6379');
    const [pending] = (await redis.xpending(enterpriseStream, 'notification')) as [number];
    await redis.quit();
    expect(pending).toBe(0);

    // The operator fixes the contact and replays the event.
    await call(h.url, 'PUT', `/api/v1/contacts/${unknownProvider}`, { token: h.adminToken, body: { email: 'late@example.test', name: 'Late' } });
    const replay = await call(h.url, 'POST', `/api/v1/notifications/dead-letters/${encodeURIComponent(`event:${poison.id}`)}/replay`, { token: h.adminToken });
    expect(replay.status).toBe(200);
    await waitForMails('late@example.test', 1);
    const malformedReplay = await call(h.url, 'POST', `/api/v1/notifications/dead-letters/${encodeURIComponent(`event:${malformed.id}`)}/replay`, { token: h.adminToken });
    expect(malformedReplay.status).toBe(422);
    expect(malformedReplay.body.code).toBe('EVENT_REPLAY_FAILED');
  });

  it('claims and finishes an event a crashed replica read but never acknowledged, exactly once', async () => {
    const { email } = early.stolen!.data as { email: string };
    await waitForMails(email, 1);
    const redis = new Redis('redis://127.0.0.1:6379');
    const pending = await waitFor(async () => {
      const [count] = (await redis.xpending(userStream, 'notification')) as [number];
      return count === 0 ? 'none' : undefined;
    }, { what: 'no pending entries' });
    await redis.quit();
    expect(pending).toBe('none');
    expect(mailsTo(email)).toHaveLength(1);
  });
});
