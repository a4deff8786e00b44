import { randomUUID } from 'node:crypto';
import { sealSecret } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import type { Job } from 'bullmq';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeliveryProcessor } from '../src/delivery/delivery.processor.js';
import { type DeliveryJob, DeliveryQueues } from '../src/delivery/delivery.queues.js';
import { call, type Harness, startHarness } from './support/harness.js';
import { publish, userCreated, userEvent } from './support/events.js';
import { withQueue } from './support/queues.js';
import { collection, collectionsContaining, openDatabase, redisKeysContaining, type StoredDocument } from './support/stored-text.js';

let h: Harness;
let db: Connection;
beforeAll(async () => {
  h = await startHarness();
  db = await openDatabase(h.env.MONGODB_URI!);
});
afterAll(async () => {
  await db?.close();
  await h?.close();
});

const sealingKey = () => h.env.EVENT_SEALING_KEY!;
const userStream = () => h.env.EVENTS_USER_STREAM!;

function waitForMail(email: string, subject: string) {
  return waitFor(() => h.smtp.messages.find((m) => m.to.includes(email) && m.subject === subject), { what: `'${subject}' to ${email}` });
}

/** A user known to the service (the welcome mail went out), without a verification link. */
async function knownUser(): Promise<{ userId: string; email: string }> {
  const created = userCreated(sealingKey(), { verification: undefined });
  const user = created.data as { userId: string; email: string };
  await publish(userStream(), [created]);
  await waitForMail(user.email, 'Welcome to DentalOS');
  return user;
}

function requestReset(user: { userId: string; email: string }, token: string) {
  const sealedToken = sealSecret(token, sealingKey());
  return publish(userStream(), [userEvent('auth.password-reset-requested', user.userId, { email: user.email, locale: 'en', sealedToken, expiresAt: '2030-01-01T00:10:00Z' })]);
}

/** The notification of `template` for the user and its email delivery, as stored, once the delivery is `status`. */
function stored(userId: string, template: string, status: string): Promise<{ notification: StoredDocument; delivery: StoredDocument }> {
  return waitFor(
    async () => {
      const notification = await collection(db, 'notifications').findOne({ userId, templateKey: template });
      const delivery = notification && (await collection(db, 'deliveries').findOne({ _id: `${notification._id}:email` }));
      return delivery?.status === status ? { notification: notification!, delivery } : undefined;
    },
    { what: `${template} for ${userId} to be stored as ${status}` },
  );
}

/** Where a token could linger: every collection of the service's database, every Redis key it or its event stream owns. */
async function placesHolding(token: string): Promise<string[]> {
  return [...(await collectionsContaining(db, token)), ...(await redisKeysContaining(token, [`${h.env.REDIS_KEY_PREFIX}*`, userStream()]))];
}

describe('one-time links live in the email alone', () => {
  it('reset and verification links reach the inbox, through a retry, while database, jobs and Redis never keep them', async () => {
    const processed = vi.spyOn(h.app.app.get(DeliveryProcessor), 'process');
    const created = userCreated(sealingKey());
    const user = created.data as { userId: string; email: string };
    const verifyToken = `verify-${user.userId}`;
    await publish(userStream(), [created]);
    const verificationMail = await waitForMail(user.email, 'Verify your email address');
    expect(verificationMail.decoded).toContain(`/verify-email?token=${verifyToken}`);

    const resetToken = `reset-${randomUUID()}`;
    h.smtp.refuseNext(451, 1); // the first attempt is refused for now: the retry still needs the content
    await requestReset(user, resetToken);
    const resetMail = await waitForMail(user.email, 'Reset your DentalOS password');
    expect(resetMail.decoded).toContain(`/reset-password?token=${resetToken}`);

    const reset = await stored(user.userId, 'password-reset', 'sent');
    expect(reset.delivery).toMatchObject({ status: 'sent', to: user.email, attempts: 2, sensitive: true });
    expect(reset.delivery).not.toHaveProperty('content');
    expect(reset.notification).toMatchObject({ templateKey: 'password-reset', sensitive: true, plan: { email: { status: 'queued', to: user.email } } });
    expect(reset.notification).not.toHaveProperty('content');
    const verification = await stored(user.userId, 'email-verification', 'sent');
    expect(verification.delivery).not.toHaveProperty('content');
    expect(verification.notification).not.toHaveProperty('content');
    // Other notifications keep what they sent.
    const welcome = await stored(user.userId, 'welcome', 'sent');
    expect(welcome.notification).toHaveProperty('content.email.subject', 'Welcome to DentalOS');

    // The scan does see what is there: the user everywhere, the sealed token in the event stream.
    expect(await collectionsContaining(db, user.userId)).toEqual(expect.arrayContaining(['notifications', 'deliveries']));
    expect(await placesHolding(resetToken)).toEqual([]);
    expect(await placesHolding(verifyToken)).toEqual([]);

    // The jobs carried ids only, and the completed one is gone from Redis.
    const resetJobs = processed.mock.calls.map(([job]) => job as Job<DeliveryJob>).filter((job) => job.data.notificationId === reset.notification._id);
    expect(resetJobs).toHaveLength(2);
    for (const job of resetJobs) {
      expect(job.data).toEqual({ notificationId: reset.notification._id, channel: 'email' });
      expect(JSON.stringify(job.asJSON())).not.toContain(resetToken);
    }
    expect(await withQueue('email', h.app.app.get(DeliveryQueues).prefix, (queue) => queue.getJobState(resetJobs[0]!.id!))).toBe('unknown');
    processed.mockRestore();

    const api = await call(h.url, 'GET', `/api/v1/notifications/${reset.notification._id}`, { token: h.adminToken });
    expect(api.body).toMatchObject({ template: 'password-reset', status: 'completed', sensitive: true, channels: { email: { status: 'sent', attempts: 2 } } });
    expect(JSON.stringify(api.body)).not.toContain(resetToken);
  });

  it('a refused reset link is not kept either, and its dead letter says why it cannot be replayed', async () => {
    const user = await knownUser();
    const resetToken = `reset-${randomUUID()}`;
    h.smtp.refuseNext(550, 1);
    await requestReset(user, resetToken);
    const failed = await stored(user.userId, 'password-reset', 'failed');
    expect(failed.delivery).toMatchObject({ status: 'failed', to: user.email, reason: 'rejected by the provider', lastResponse: { status: 550 } });
    expect(failed.delivery).not.toHaveProperty('content');
    const letterId = `delivery:${failed.notification._id}:email`;
    expect(await collection(db, 'dead_letters').findOne({ _id: letterId })).toMatchObject({ state: 'open', notificationId: failed.notification._id });
    expect(await placesHolding(resetToken)).toEqual([]);

    const replay = await call<{ code: string; detail: string }>(h.url, 'POST', `/api/v1/notifications/dead-letters/${encodeURIComponent(letterId)}/replay`, { token: h.adminToken });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ code: 'DEAD_LETTER_NOT_REPLAYABLE', detail: expect.stringContaining('one-time link') });
    expect(await collection(db, 'deliveries').findOne({ _id: `${failed.notification._id}:email` })).toMatchObject({ status: 'failed' });
  });
});
