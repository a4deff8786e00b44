import { AppError, NotFoundError, UnauthorizedError } from '@dentalos/core';

/**
 * OAuth 2.0's `invalid_grant` (RFC 6749 §5.2): the refresh token is unknown, expired, revoked or
 * was already used. `error` carries the OAuth spelling for OAuth-minded clients.
 */
export class InvalidGrantError extends AppError {
  constructor() {
    super(401, 'INVALID_GRANT', 'The refresh token is not valid; sign in again.', {
      extensions: { error: 'invalid_grant' },
      headers: { 'www-authenticate': 'Bearer error="invalid_grant"' },
    });
  }
}

export class SessionRevokedError extends UnauthorizedError {
  constructor() {
    super('SESSION_REVOKED', 'This device session has ended; sign in again.');
  }
}

export class SessionNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Session', id);
  }
}
