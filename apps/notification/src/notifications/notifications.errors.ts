import { AppError, ConflictError, NotFoundError } from '@dentalos/core';

export class NotificationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Notification', id);
  }
}

export class UnknownRecipientError extends AppError {
  constructor(userId: string) {
    super(422, 'USER_UNKNOWN', `No contact data is known for user '${userId}'.`, {
      errors: [{ field: 'userId', constraint: 'known', message: `user '${userId}' is not known to the notification service` }],
    });
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.');
  }
}

export class InvalidIdempotencyKeyError extends AppError {
  constructor() {
    super(400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-200 visible ASCII characters.', {
      errors: [{ field: 'Idempotency-Key', constraint: 'format', message: 'must be 1-200 visible ASCII characters' }],
    });
  }
}

export class DataTooLargeError extends AppError {
  constructor(size: number, limit: number) {
    super(413, 'NOTIFICATION_DATA_TOO_LARGE', `Template data is ${size} bytes; the limit is ${limit}.`, { extensions: { size, limit } });
  }
}

export class WebhookUnauthorizedError extends AppError {
  constructor() {
    super(401, 'WEBHOOK_UNAUTHORIZED', 'The webhook secret is missing or wrong.');
  }
}

export class ProviderMessageNotFoundError extends NotFoundError {
  constructor(messageId: string) {
    super('Provider message', messageId);
  }
}

export class DeadLetterNotReplayableError extends ConflictError {
  constructor(id: string, detail: string) {
    super('DEAD_LETTER_NOT_REPLAYABLE', `Dead letter '${id}' cannot be replayed: ${detail}`, { id });
  }
}

export class EventReplayFailedError extends AppError {
  constructor(id: string, message: string) {
    super(422, 'EVENT_REPLAY_FAILED', `Replaying '${id}' failed again: ${message}`, { extensions: { id } });
  }
}
