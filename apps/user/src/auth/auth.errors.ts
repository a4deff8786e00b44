import { AppError, UnauthorizedError } from '@dentalos/core';

/**
 * One answer for unknown email, wrong password, locked or deactivated account, so the response
 * never tells an attacker which one it was.
 */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The email or password is incorrect.');
  }
}

/** A verification or reset link that is unknown, already used or expired; which one is not said. */
export class InvalidLinkTokenError extends AppError {
  constructor(kind: 'verification' | 'reset') {
    const what = kind === 'verification' ? 'verification link' : 'password reset link';
    super(400, 'LINK_TOKEN_INVALID', `The ${what} is invalid, already used or expired.`, {
      errors: [{ field: 'token', constraint: 'linkToken', message: `token is not a valid ${what} or has expired` }],
    });
  }
}
