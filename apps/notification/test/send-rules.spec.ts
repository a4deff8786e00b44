import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMinutes } from '../src/preferences/quiet-hours.js';
import { createTemplate, getNotification, newRecipient, send, waitForChannel } from './support/api.js';
import { call, type Harness, startHarness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await createTemplate(h, 'rules');
  await createTemplate(h, 'rules-security', 'security', ['email', 'sms']);
  await createTemplate(h, 'rules-email', 'reminders', ['email']);
});
afterAll(() => h?.close());

const hhmm = (minutes: number) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** The IANA zone `hours` ahead of UTC (POSIX-style Etc names count the other way). */
const etcZone = (hours: number) => (hours === 0 ? 'Etc/GMT' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`);

async function asUser(userId: string) {
  return h.issuer.sign({ sub: userId });
}

describe('send API rules', () => {
  it('replays the same Idempotency-Key and body, refuses the key with another body, and sends once', async () => {
    const userId = await newRecipient(h);
    const body = { userId, template: 'rules-email', data: { name: 'Once' } };
    const first = await send(h, body, 'order-42');
    expect(first.status).toBe(202);
    const again = await send(h, { data: { name: 'Once' }, template: 'rules-email', userId }, 'order-42');
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: first.body.id, replayed: true });
    const other = await send(h, { ...body, data: { name: 'Twice' } }, 'order-42');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const concurrent = await Promise.all([1, 2, 3, 4].map(() => send(h, { ...body, data: { name: 'Race' } }, 'order-43')));
    expect(new Set(concurrent.map((r) => r.body.id)).size).toBe(1);
    await waitForChannel(h, first.body.id, 'email', 'sent');
    await waitForChannel(h, concurrent[0]!.body.id, 'email', 'sent');
    const mails = h.smtp.messages.filter((m) => m.to.includes(`${userId}@example.test`));
    expect(mails.map((m) => m.subject).sort()).toEqual(['Hello Once', 'Hello Race']);
  });

  it('answers bad input with clear problems: 400 fields, 404 template, 422 user/variables/channel, 413 data', async () => {
    const userId = await newRecipient(h);
    const invalid = await send(h, { userId: 7, template: '', data: 'x', channels: ['fax'] });
    expect(invalid.status).toBe(400);
    const fields = (invalid.body.errors as unknown as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['userId', 'template', 'data', 'channels']));
    expect((await send(h, { userId, template: 'nope', data: {} })).body).toMatchObject({ status: 404, code: 'TEMPLATE_NOT_FOUND' });
    expect((await send(h, { userId: 'ghost', template: 'rules', data: { name: 'x' } })).body).toMatchObject({ status: 422, code: 'USER_UNKNOWN' });
    expect((await send(h, { userId, template: 'rules', data: {} })).body).toMatchObject({ status: 422, code: 'TEMPLATE_VARIABLE_MISSING' });
    expect((await send(h, { userId, template: 'rules', data: { name: 'x', extra: 1 } })).body).toMatchObject({ status: 422, code: 'TEMPLATE_VARIABLE_UNKNOWN' });
    expect((await send(h, { userId, template: 'rules-email', data: { name: 'x' }, channels: ['sms'] })).body).toMatchObject({ status: 422, code: 'TEMPLATE_CHANNEL_MISSING' });
    const huge = await send(h, { userId, template: 'rules', data: { name: 'x'.repeat(20_000) } });
    expect(huge.body).toMatchObject({ status: 413, code: 'NOTIFICATION_DATA_TOO_LARGE' });
    await call(h.url, 'POST', '/api/v1/templates/rules-email/deactivate', { token: h.adminToken });
    expect((await send(h, { userId, template: 'rules-email', data: { name: 'x' } })).body).toMatchObject({ status: 422, code: 'TEMPLATE_INACTIVE' });
    await call(h.url, 'POST', '/api/v1/templates/rules-email/activate', { token: h.adminToken });
    const plain = await call(h.url, 'POST', '/api/v1/notifications', { token: await asUser(userId), body: { userId, template: 'rules', data: { name: 'x' } } });
    expect(plain.status).toBe(403);
    expect((await call(h.url, 'POST', '/api/v1/notifications', { body: {} })).status).toBe(401);
  });

  it('applies opt-outs per channel and category, organization defaults and reset; skipped sends keep their reason', async () => {
    const userId = await newRecipient(h, { organizationId: 'org-quiet' });
    await call(h.url, 'PUT', '/api/v1/preferences/organizations/org-quiet', { token: h.adminToken, body: { channels: { push: false } } });
    const token = await asUser(userId);
    const saved = await call(h.url, 'PUT', '/api/v1/preferences/me', { token, body: { categories: [{ category: 'reminders', sms: false }] } });
    expect(saved.status).toBe(200);
    const mine = await call(h.url, 'GET', '/api/v1/preferences/me', { token });
    expect(mine.body).toMatchObject({ user: { categories: [{ category: 'reminders', sms: false }] }, organization: { channels: { push: false } } });

    const accepted = await send(h, { userId, template: 'rules', data: { name: 'Prefs' } });
    const sent = await waitForChannel(h, accepted.body.id, 'email', 'sent');
    expect(sent.channels.sms).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(sent.channels.push).toMatchObject({ status: 'skipped', reason: 'opted_out' });

    // A critical category ignores every opt-out.
    await call(h.url, 'PUT', '/api/v1/preferences/me', { token, body: { channels: { email: false, sms: false } } });
    const critical = await send(h, { userId, template: 'rules-security', data: { name: 'Alert' } });
    await waitForChannel(h, critical.body.id, 'email', 'sent');
    await waitForChannel(h, critical.body.id, 'sms', 'sent');

    // The user's own opt-in wins over the organization default; reset brings the default back.
    await call(h.url, 'PUT', '/api/v1/preferences/me', { token, body: { channels: { push: true } } });
    const optedIn = await send(h, { userId, template: 'rules', data: { name: 'In' }, channels: ['push'] });
    await waitForChannel(h, optedIn.body.id, 'push', 'sent');
    expect((await call(h.url, 'DELETE', '/api/v1/preferences/me', { token })).status).toBe(204);
    const reset = await send(h, { userId, template: 'rules', data: { name: 'Reset' }, channels: ['push', 'sms'] });
    const afterReset = await getNotification(h, reset.body.id);
    expect(afterReset.channels.push).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    await waitForChannel(h, reset.body.id, 'sms', 'sent');
    expect((await call(h.url, 'PUT', '/api/v1/preferences/me', { token, body: { quietHours: { start: '25:00', end: '07:00', timezone: 'Mars/Base' } } })).status).toBe(400);
  });

  it('defers non-critical sends until the quiet hours end in the user’s timezone, across midnight', { timeout: 180_000 }, async () => {
    // A whole-hour zone where it is now between 00:00 and 01:00, so that a window from 23:00 to a
    // minute or two from now spans midnight there (and not in the server's clock).
    const now = new Date();
    const ahead = (24 - now.getUTCHours()) % 24; // hours the zone is ahead of UTC
    const offset = ahead > 14 ? ahead - 24 : ahead;
    const zone = etcZone(offset);
    const local = localMinutes(now, zone);
    expect(local).toBeLessThan(60);
    const minutesLeft = now.getUTCSeconds() < 45 ? 1 : 2; // never closer than 15 s to the end
    const window = { start: '23:00', end: hhmm(local + minutesLeft) };
    const ends = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + minutesLeft * 60_000);

    const sleeper = await newRecipient(h, { timezone: zone }); // the window names no zone: the contact's applies
    expect((await call(h.url, 'PUT', '/api/v1/preferences/me', { token: await asUser(sleeper), body: { quietHours: window } })).status).toBe(200);
    const quiet = await send(h, { userId: sleeper, template: 'rules', data: { name: 'Zz' } });
    expect(quiet.status).toBe(202);
    const held = await getNotification(h, quiet.body.id);
    expect(held.status).toBe('processing');
    for (const channel of ['email', 'sms', 'push']) {
      expect(held.channels[channel]).toMatchObject({ status: 'queued', reason: 'quiet_hours', deferredUntil: ends.toISOString(), attempts: 0 });
    }

    // Security alerts go out during quiet hours.
    const alert = await send(h, { userId: sleeper, template: 'rules-security', data: { name: 'Alert' } });
    await waitForChannel(h, alert.body.id, 'email', 'sent');
    expect((await getNotification(h, quiet.body.id)).channels.email!.status).toBe('queued');
    expect(h.smtp.messages.filter((m) => m.to.includes(`${sleeper}@example.test`)).map((m) => m.subject)).toEqual(['Hello Alert']);

    // Same wall-clock window, but the user lives twelve hours away: it is daytime there.
    const awake = await newRecipient(h, { timezone: etcZone(offset > 0 ? offset - 12 : offset + 12) });
    await call(h.url, 'PUT', '/api/v1/preferences/me', { token: await asUser(awake), body: { quietHours: window } });
    const loud = await send(h, { userId: awake, template: 'rules-email', data: { name: 'Up' } });
    expect((await waitForChannel(h, loud.body.id, 'email', 'sent')).channels.email!.deferredUntil).toBeUndefined();

    // The held channels go out once the window ends, not before.
    const delivered = await waitFor(
      async () => {
        const notification = await getNotification(h, quiet.body.id);
        return ['email', 'sms', 'push'].every((channel) => notification.channels[channel]!.status === 'sent') ? notification : undefined;
      },
      { what: 'the held channels to be sent', timeoutMs: ends.getTime() - Date.now() + 30_000, intervalMs: 500 },
    );
    for (const channel of ['email', 'sms', 'push']) {
      const sent = delivered.channels[channel]!;
      expect(new Date(sent.timestamps.sending!).getTime()).toBeGreaterThanOrEqual(ends.getTime());
      expect(sent).toMatchObject({ attempts: 1, deferredUntil: ends.toISOString() });
      expect(sent.reason).toBeUndefined();
    }
    expect(h.smtp.messages.filter((m) => m.to.includes(`${sleeper}@example.test`)).map((m) => m.subject).sort()).toEqual(['Hello Alert', 'Hello Zz']);
  });

  it('records a channel without an address as skipped', async () => {
    const userId = await newRecipient(h, { phone: undefined });
    const noPhone = await call(h.url, 'PUT', `/api/v1/contacts/${userId}`, { token: h.adminToken, body: { pushTokens: [] } });
    expect(noPhone.status).toBe(200);
    const accepted = await send(h, { userId, template: 'rules', data: { name: 'NoPush' }, channels: ['push'] });
    expect((await getNotification(h, accepted.body.id)).channels.push).toMatchObject({ status: 'skipped', reason: 'no_address' });
  });
});
