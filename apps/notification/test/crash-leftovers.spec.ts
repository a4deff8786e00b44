import { randomUUID } from 'node:crypto';
import { waitFor } from '@dentalos/testing';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeliveryQueues } from '../src/delivery/delivery.queues.js';
import { DeliveryRepository } from '../src/delivery/delivery.repository.js';
import { SendLedger } from '../src/delivery/send-ledger.js';
import { NotificationSweeper } from '../src/notifications/notification-sweeper.js';
import { NotificationRepository } from '../src/notifications/notification.repository.js';
import type { NotificationDocument } from '../src/notifications/notification.schema.js';
import { NotificationsService } from '../src/notifications/notifications.service.js';
import { PendingDispatchRepository } from '../src/notifications/pending-dispatch.repository.js';
import { getNotification, newRecipient, waitForChannel } from './support/api.js';
import { type Harness, startHarness } from './support/harness.js';
import { withQueue } from './support/queues.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const service = <T>(type: new (...args: never[]) => T): T => h.app.app.get(type);

/** A notification as acceptance stores it, before any delivery exists. */
function accepted(userId: string, subject: string): NotificationDocument {
  return {
    _id: randomUUID(),
    userId,
    templateKey: 'leftover',
    templateVersion: 1,
    category: 'reminders',
    locale: 'en',
    content: { email: { subject, html: `<p>${subject}</p>`, text: subject } },
    plan: { email: { status: 'queued', to: `${userId}@example.test` } },
    createdAt: new Date(Date.now() - 60_000),
  };
}

const mailsTo = (userId: string) => h.smtp.messages.filter((m) => m.to.includes(`${userId}@example.test`));

const withEmailQueue = <T>(use: (queue: Queue) => Promise<T>): Promise<T> => withQueue('email', service(DeliveryQueues).prefix, use);

describe('what a crash leaves behind', () => {
  it('a notification stored before its deliveries existed is finished by the sweeper', async () => {
    const userId = await newRecipient(h);
    const notification = accepted(userId, 'Left behind');
    // As a process killed between storing the notification and dispatching it leaves things.
    await service(PendingDispatchRepository).mark(notification._id, notification.createdAt);
    await service(NotificationRepository).insert(notification);
    expect(await service(DeliveryRepository).get(`${notification._id}:email`)).toBeNull();

    expect(await service(NotificationSweeper).sweep()).toBeGreaterThanOrEqual(1);
    const sent = await waitForChannel(h, notification._id, 'email', 'sent');
    expect(sent.channels.email).toMatchObject({ attempts: 1 });
    expect(mailsTo(userId).map((m) => m.subject)).toEqual(['Left behind']);
    expect(await service(PendingDispatchRepository).olderThan(new Date(), 1_000)).not.toContainEqual(expect.objectContaining({ _id: notification._id }));
  });

  it('a sensitive notification keeps its content until its deliveries hold it, and they until they settle', async () => {
    const userId = await newRecipient(h);
    const notification: NotificationDocument = { ...accepted(userId, 'One-time link'), sensitive: true };
    await service(PendingDispatchRepository).mark(notification._id, notification.createdAt);
    await service(NotificationRepository).insert(notification);

    await service(NotificationSweeper).sweep();
    await waitForChannel(h, notification._id, 'email', 'sent');
    expect(mailsTo(userId).map((m) => m.subject)).toEqual(['One-time link']);
    expect(await service(NotificationRepository).byId(notification._id)).not.toHaveProperty('content');
    const delivery = await service(DeliveryRepository).get(`${notification._id}:email`);
    expect(delivery).toMatchObject({ status: 'sent', sensitive: true });
    expect(delivery).not.toHaveProperty('content');
    expect(await service(PendingDispatchRepository).olderThan(new Date(), 1_000)).not.toContainEqual(expect.objectContaining({ _id: notification._id }));
  });

  it('a send the provider took before the crash kept it from the database is recorded, not repeated', async () => {
    const userId = await newRecipient(h);
    const notification = accepted(userId, 'Sent once');
    const id = `${notification._id}:email`;
    await service(NotificationRepository).insert(notification);
    await service(DeliveryRepository).insertMissing([
      {
        _id: id,
        notificationId: notification._id,
        userId,
        channel: 'email',
        status: 'sending',
        to: `${userId}@example.test`,
        content: notification.content?.email,
        attempts: 0,
        timestamps: { pending: notification.createdAt, queued: notification.createdAt },
        replays: 0,
      },
    ]);
    // The provider's answer made it to the send ledger; the process died before recording `sent`.
    const acceptedAt = new Date(Date.now() - 1_000);
    await service(SendLedger).record(id, 0, { providerMessageId: `<${notification._id}.email@dentalos>`, status: 250, message: '250 Accepted' }, acceptedAt);

    await service(DeliveryQueues).enqueue([{ notificationId: notification._id, channel: 'email' }]);
    const sent = await waitForChannel(h, notification._id, 'email', 'sent');
    expect(sent.channels.email).toMatchObject({ providerMessageId: `<${notification._id}.email@dentalos>`, lastResponse: { status: 250, message: '250 Accepted' } });
    expect(sent.channels.email!.timestamps.sent).toBe(acceptedAt.toISOString());
    expect(mailsTo(userId)).toHaveLength(0);
    expect((await getNotification(h, notification._id)).status).toBe('completed');
  });

  it('a delivery whose job failed without settling it (its outcome never recorded) is re-enqueued by the sweeper and sent once', { timeout: 60_000 }, async () => {
    const userId = await newRecipient(h);
    const notification = accepted(userId, 'Stuck once');
    const id = `${notification._id}:email`;
    const jobId = `${notification._id}-email-0`;
    // The provider takes the mail, but the database will not take the outcome, on any attempt of the job.
    const deliveries = service(DeliveryRepository);
    const markSent = deliveries.markSent.bind(deliveries);
    const recording = vi.spyOn(deliveries, 'markSent').mockImplementation((deliveryId, ...rest) =>
      deliveryId === id ? Promise.reject(new Error('database unavailable')) : markSent(deliveryId, ...rest),
    );
    try {
      await service(PendingDispatchRepository).mark(notification._id, notification.createdAt);
      await service(NotificationRepository).insert(notification);
      await service(NotificationsService).dispatch(notification);
      await withEmailQueue((queue) => waitFor(async () => (await queue.getJobState(jobId)) === 'failed', { what: 'the job to fail', timeoutMs: 45_000 }));
    } finally {
      recording.mockRestore();
    }
    expect(await service(DeliveryRepository).get(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(mailsTo(userId)).toHaveLength(1);

    // Long enough untouched to count as stuck; the kept failed job must not swallow the re-enqueue.
    const sweeper = service(NotificationSweeper);
    const sent = await waitFor(
      async () => {
        await sweeper.sweep();
        const delivery = await service(DeliveryRepository).get(id);
        return delivery?.status === 'sent' ? delivery : undefined;
      },
      { what: 'the stuck delivery to be recorded as sent', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: `<${notification._id}.email@dentalos>` });
    expect(mailsTo(userId)).toHaveLength(1);
    expect(await withEmailQueue((queue) => queue.getJobState(jobId))).toBe('unknown');
  });
});
