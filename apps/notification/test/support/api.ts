import { randomUUID } from 'node:crypto';
import { waitFor } from '@dentalos/testing';
import { call, type Harness } from './harness.js';

export interface ChannelView {
  status: string;
  attempts: number;
  timestamps: Record<string, string>;
  reason?: string;
  providerMessageId?: string;
  lastResponse?: { status?: number; message: string };
  nextAttemptAt?: string;
  deferredUntil?: string;
}

export interface NotificationView {
  id: string;
  status: string;
  replayed?: boolean;
  channels: Record<string, ChannelView>;
}

/** A recipient of its own per test, reachable on every channel. */
export async function newRecipient(h: Harness, fields: Record<string, unknown> = {}): Promise<string> {
  const userId = randomUUID();
  const response = await call(h.url, 'PUT', `/api/v1/contacts/${userId}`, {
    token: h.adminToken,
    body: { email: `${userId}@example.test`, phone: '+41791234567', pushTokens: [`device-${userId}`], timezone: 'Europe/Zurich', ...fields },
  });
  if (response.status !== 200) throw new Error(`contact not created: ${JSON.stringify(response.body)}`);
  return userId;
}

export async function createTemplate(h: Harness, key: string, category = 'reminders', channels = ['email', 'sms', 'push']): Promise<void> {
  const variant: Record<string, unknown> = { locale: 'en' };
  if (channels.includes('email')) variant.email = { subject: 'Hello {{name}}', html: '<p>Hello {{name}}</p>', text: 'Hello {{name}}' };
  if (channels.includes('sms')) variant.sms = { text: 'Hello {{name}}' };
  if (channels.includes('push')) variant.push = { title: 'Hello', body: 'Hello {{name}}' };
  const response = await call(h.url, 'POST', '/api/v1/templates', {
    token: h.adminToken,
    body: { key, name: key, category, variables: ['name'], defaultLocale: 'en', variants: [variant] },
  });
  if (response.status !== 201) throw new Error(`template not created: ${JSON.stringify(response.body)}`);
}

export function send(h: Harness, body: Record<string, unknown>, key?: string) {
  return call<NotificationView & Record<string, unknown>>(h.url, 'POST', '/api/v1/notifications', {
    token: h.adminToken,
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });
}

export async function getNotification(h: Harness, id: string): Promise<NotificationView> {
  return (await call<NotificationView>(h.url, 'GET', `/api/v1/notifications/${id}`, { token: h.adminToken })).body;
}

/** Waits until the channel reaches `status`; returns the notification as it was then. */
export function waitForChannel(h: Harness, id: string, channel: string, status: string): Promise<NotificationView> {
  return waitFor(
    async () => {
      const notification = await getNotification(h, id);
      return notification.channels[channel]?.status === status ? notification : undefined;
    },
    { what: `${channel} of ${id} to become ${status}` },
  );
}
