import { ConflictError, NotFoundError } from '@dentalos/core';

/** Said the same way whether or not the other account is verified. */
export class EmailTakenError extends ConflictError {
  constructor() {
    super('EMAIL_TAKEN', 'An account with this email already exists. Sign in or reset the password instead.');
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('User', id);
  }
}

export class UserStatusConflictError extends ConflictError {
  constructor(detail: string) {
    super('USER_STATUS_CONFLICT', detail);
  }
}
