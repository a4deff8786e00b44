import { randomUUID } from 'node:crypto';
import { type CloudEvent, createEvent, EventPublisher, sealSecret } from '@dentalos/events';
import { Redis } from 'ioredis';

export function userCreated(sealingKey: string, overrides: Record<string, unknown> = {}): CloudEvent {
  const userId = randomUUID();
  return createEvent({
    source: '/dentalos/user',
    type: 'user.created',
    subject: userId,
    data: {
      userId,
      email: `${userId}@example.test`,
      displayName: 'Grace',
      locale: 'en',
      timezone: 'Europe/Zurich',
      verification: { sealedToken: sealSecret(`verify-${userId}`, sealingKey), expiresAt: '2030-01-01T00:00:00Z' },
      ...overrides,
    },
  });
}

export const userEvent = (type: string, userId: string, data: Record<string, unknown> = {}): CloudEvent =>
  createEvent({ source: '/dentalos/user', type, subject: userId, data: { userId, ...data } });

export const assignmentCreated = (providerUserId: string, data: Record<string, unknown> = {}): CloudEvent =>
  createEvent({
    source: '/dentalos/enterprise',
    type: 'assignment.created',
    data: { assignmentId: randomUUID(), providerUserId, clinicId: 'clinic-1', clinicName: 'Lakeside Dental', organizationId: 'org-1', ...data },
  });

/** Publishes like the producers' outbox relay does. */
export async function publish(stream: string, events: CloudEvent[]): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    await new EventPublisher(redis).publish(stream, events);
  } finally {
    await redis.quit();
  }
}
