import { waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplate, getNotification, newRecipient, send, waitForChannel } from './support/api.js';
import { call, type Harness, startHarness, WEBHOOK_SECRET } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await createTemplate(h, 'hello');
  await createTemplate(h, 'hello-sms', 'reminders', ['sms']);
  await createTemplate(h, 'hello-email', 'reminders', ['email']);
  await createTemplate(h, 'hello-push', 'reminders', ['push']);
});
afterAll(() => h?.close());

const mailsTo = (userId: string) => h.smtp.messages.filter((m) => m.to.includes(`${userId}@example.test`));

describe('delivery over email, SMS and push', () => {
  it('accepts with 202 and delivers on every channel with the providers’ real request shapes', async () => {
    const userId = await newRecipient(h);
    const accepted = await send(h, { userId, template: 'hello', data: { name: 'Ada' } });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ id: expect.any(String), status: 'processing' });
    const id = accepted.body.id;
    for (const channel of ['email', 'sms', 'push']) await waitForChannel(h, id, channel, 'sent');
    const notification = await getNotification(h, id);
    for (const channel of ['email', 'sms', 'push']) {
      const delivery = notification.channels[channel]!;
      expect(delivery.attempts).toBe(1);
      expect(Object.keys(delivery.timestamps)).toEqual(expect.arrayContaining(['pending', 'queued', 'sending', 'sent']));
      expect(delivery.providerMessageId).toEqual(expect.any(String));
    }
    expect(notification.status).toBe('completed');

    const [mail] = mailsTo(userId);
    expect(mail).toMatchObject({ subject: 'Hello Ada', messageId: `<${id}.email@dentalos>` });

    const sms = h.twilio.requests.find((r) => r.body.includes(encodeURIComponent('+41791234567')) && r.body.includes('Ada'))!;
    expect(sms.method).toBe('POST');
    expect(sms.url).toBe('/2010-04-01/Accounts/AC0123456789/Messages.json');
    expect(sms.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sms.headers.authorization).toBe(`Basic ${Buffer.from('AC0123456789:twilio-test-token').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(sms.body))).toEqual({ To: '+41791234567', From: '+15005550006', Body: 'Hello Ada' });

    const push = h.fcm.requests.find((r) => r.body.includes(`device-${userId}`))!;
    expect(push.url).toBe('/v1/projects/dentalos-test/messages:send');
    expect(push.headers.authorization).toBe('Bearer fcm-test-token');
    expect(JSON.parse(push.body)).toEqual({ message: { token: `device-${userId}`, notification: { title: 'Hello', body: 'Hello Ada' } } });
  });

  it('retries transient failures (503, 429, timeout) with backoff and records each provider response', async () => {
    const userId = await newRecipient(h);
    h.twilio.script({ status: 503, body: { message: 'down' } }, { status: 429, body: { message: 'slow down' } });
    const sms = await send(h, { userId, template: 'hello-sms', data: { name: 'Retry' } });
    const sent = await waitForChannel(h, sms.body.id, 'sms', 'sent');
    expect(sent.channels.sms).toMatchObject({ attempts: 3, lastResponse: { status: 201 } });

    // Well past the 1 s client timeout (undici checks timeouts with coarse timers).
    h.fcm.script({ status: 200, body: { name: 'late' }, delayMs: 3_500 });
    const push = await send(h, { userId, template: 'hello-push', data: { name: 'Timeout' } });
    const pushed = await waitForChannel(h, push.body.id, 'push', 'sent');
    expect(pushed.channels.push!.attempts).toBe(2);
    expect(pushed.channels.push!.providerMessageId).not.toBe('late');
  });

  it('never retries a 4xx: the channel fails at once and is kept as a dead letter', async () => {
    const userId = await newRecipient(h);
    const before = h.twilio.requests.length;
    h.twilio.script({ status: 400, body: { code: 21211, message: 'invalid To number' } });
    const accepted = await send(h, { userId, template: 'hello-sms', data: { name: 'Bad' } });
    const failed = await waitForChannel(h, accepted.body.id, 'sms', 'failed');
    expect(failed.channels.sms).toMatchObject({ attempts: 1, reason: 'rejected by the provider', lastResponse: { status: 400 } });
    expect(h.twilio.requests.length - before).toBe(1);
    const letters = await call<{ id: string; notificationId: string }[]>(h.url, 'GET', '/api/v1/notifications/dead-letters?kind=delivery', { token: h.adminToken });
    expect(letters.body.map((l) => l.notificationId)).toContain(accepted.body.id);
  });

  it('dead-letters after the last attempt; replaying one delivers it, replaying all handles the rest', async () => {
    const userId = await newRecipient(h);
    h.smtp.refuseNext(451, 8); // SMTP 4xx = transient: two notifications x four attempts
    const first = await send(h, { userId, template: 'hello-email', data: { name: 'One' } });
    const dead = await waitForChannel(h, first.body.id, 'email', 'dead_lettered');
    expect(dead.channels.email).toMatchObject({ attempts: 4, reason: 'gave up after 4 attempts', lastResponse: { status: 451 } });
    const second = await send(h, { userId, template: 'hello-email', data: { name: 'Two' } });
    await waitForChannel(h, second.body.id, 'email', 'dead_lettered');
    expect(mailsTo(userId)).toHaveLength(0);

    const letterId = `delivery:${first.body.id}:email`;
    const listed = await call<{ id: string; state: string }[]>(h.url, 'GET', '/api/v1/notifications/dead-letters', { token: h.adminToken });
    expect(listed.body.map((l) => l.id)).toEqual(expect.arrayContaining([letterId, `delivery:${second.body.id}:email`]));

    const replayed = await call(h.url, 'POST', `/api/v1/notifications/dead-letters/${encodeURIComponent(letterId)}/replay`, { token: h.adminToken });
    expect(replayed.status).toBe(200);
    await waitForChannel(h, first.body.id, 'email', 'sent');
    const again = await call(h.url, 'POST', `/api/v1/notifications/dead-letters/${encodeURIComponent(letterId)}/replay`, { token: h.adminToken });
    expect(again.status).toBe(409);

    const all = await call<{ replayed: number }>(h.url, 'POST', '/api/v1/notifications/dead-letters/replay', { token: h.adminToken });
    expect(all.body.replayed).toBeGreaterThanOrEqual(1);
    await waitForChannel(h, second.body.id, 'email', 'sent');
    expect(mailsTo(userId).map((m) => m.subject).sort()).toEqual(['Hello One', 'Hello Two']);
  });

  it('SMTP 5xx is permanent', async () => {
    const userId = await newRecipient(h);
    h.smtp.refuseNext(550, 1);
    const accepted = await send(h, { userId, template: 'hello-email', data: { name: 'Nope' } });
    const failed = await waitForChannel(h, accepted.body.id, 'email', 'failed');
    expect(failed.channels.email).toMatchObject({ attempts: 1, lastResponse: { status: 550 } });
  });

  it('updates status from authenticated provider webhooks', async () => {
    const userId = await newRecipient(h);
    const accepted = await send(h, { userId, template: 'hello', data: { name: 'Hook' } });
    const sent = await waitForChannel(h, accepted.body.id, 'sms', 'sent');
    await waitForChannel(h, accepted.body.id, 'email', 'sent');
    const smsId = sent.channels.sms!.providerMessageId!;
    const hook = (channel: string, body: unknown, secret?: string) =>
      call(h.url, 'POST', `/api/v1/notifications/webhooks/${channel}`, { body, headers: secret ? { 'x-webhook-secret': secret } : {} });

    expect((await hook('sms', { messageId: smsId, event: 'delivered' })).status).toBe(401);
    expect((await hook('sms', { messageId: smsId, event: 'delivered' }, 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await hook('sms', { messageId: smsId, event: 'delivered' }, WEBHOOK_SECRET)).body).toEqual({ applied: true, status: 'delivered' });
    const emailId = (await getNotification(h, accepted.body.id)).channels.email!.providerMessageId!;
    expect((await hook('email', { messageId: emailId, event: 'bounced', detail: '550 5.1.1 no such user' }, WEBHOOK_SECRET)).status).toBe(200);
    const after = await getNotification(h, accepted.body.id);
    expect(after.channels.sms!.status).toBe('delivered');
    expect(after.channels.email).toMatchObject({ status: 'bounced', lastResponse: { message: '550 5.1.1 no such user' } });
    expect((await hook('sms', { messageId: 'SM-unknown', event: 'delivered' }, WEBHOOK_SECRET)).status).toBe(404);
    expect((await hook('fax', { messageId: smsId, event: 'delivered' }, WEBHOOK_SECRET)).status).toBe(400);
  });

  it('lists the caller’s own notifications, hides others’, and reports stats and queue metrics', async () => {
    const userId = await newRecipient(h);
    const accepted = await send(h, { userId, template: 'hello-email', data: { name: 'Mine' } });
    await waitForChannel(h, accepted.body.id, 'email', 'sent');
    const own = await h.issuer.sign({ sub: userId });
    const mine = await call<{ id: string }[]>(h.url, 'GET', '/api/v1/notifications', { token: own });
    expect(mine.body.map((n) => n.id)).toEqual([accepted.body.id]);
    expect((await call(h.url, 'GET', `/api/v1/notifications/${accepted.body.id}`, { token: own })).status).toBe(200);
    const stranger = await h.issuer.sign({ sub: 'someone-else' });
    expect((await call(h.url, 'GET', `/api/v1/notifications/${accepted.body.id}`, { token: stranger })).status).toBe(404);
    expect((await call(h.url, 'GET', '/api/v1/notifications/stats', { token: stranger })).status).toBe(403);
    const stats = await call<{ channel: string; counts: Record<string, number> }[]>(h.url, 'GET', '/api/v1/notifications/stats', { token: h.adminToken });
    expect(stats.body.find((s) => s.channel === 'email')!.counts.sent).toBeGreaterThanOrEqual(1);
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${h.url}/metrics`)).text();
      return text.includes('notification_queue_depth{') && text.includes('notification_dead_letters') ? text : undefined;
    });
    expect(metrics).toMatch(/notification_queue_depth\{channel="email",state="waiting",service="notification"\} \d+/);
    expect(metrics).toMatch(/events_consumer_lag\{stream="[^"]+",group="notification",service="notification"\} 0/);
    expect(metrics).toMatch(/notification_deliveries_total\{channel="email",outcome="sent",service="notification"\} \d+/);
  });
});
