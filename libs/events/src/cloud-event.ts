import { randomUUID } from 'node:crypto';

/** CloudEvents 1.0, JSON format, plus W3C `traceparent` (distributed tracing extension). */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  data: T;
  traceparent?: string;
}

export interface NewEvent<T> {
  source: string;
  type: string;
  data: T;
  subject?: string;
  traceparent?: string;
}

export function createEvent<T>(input: NewEvent<T>): CloudEvent<T> {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: randomUUID(),
    source: input.source,
    type: input.type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
  };
  if (input.subject !== undefined) event.subject = input.subject;
  if (input.traceparent !== undefined) event.traceparent = input.traceparent;
  return event;
}

/** One stream per producing service (DESIGN.md). */
export const STREAMS = {
  user: 'events.user',
  enterprise: 'events.enterprise',
} as const;

export const EVENT_TYPES = {
  userCreated: 'user.created',
  userVerified: 'user.verified',
  userDeleted: 'user.deleted',
  passwordResetRequested: 'auth.password-reset-requested',
  passwordChanged: 'auth.password-changed',
  refreshTokenReused: 'auth.refresh-token-reused',
  organizationCreated: 'organization.created',
  clinicCreated: 'clinic.created',
  assignmentCreated: 'assignment.created',
  assignmentEnded: 'assignment.ended',
  rbacBindingChanged: 'rbac.binding-changed',
} as const;
