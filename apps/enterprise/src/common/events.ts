import { type CloudEvent, createEvent } from '@dentalos/events';

/** CloudEvents from this service: `source` names the service, `subject` the resource. */
export function enterpriseEvent<T>(type: string, subject: string, data: T): CloudEvent<T> {
  return createEvent({ source: '/dentalos/enterprise', type, subject, data });
}
