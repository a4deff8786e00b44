import { ServiceUnavailableError, UnauthorizedError } from '@dentalos/core';

export class TokenMissingError extends UnauthorizedError {
  constructor() {
    super('TOKEN_MISSING', 'A bearer access token is required.');
  }
}

export class TokenExpiredError extends UnauthorizedError {
  constructor() {
    super('TOKEN_EXPIRED', 'The access token has expired; refresh it.');
  }
}

export class TokenInvalidError extends UnauthorizedError {
  constructor(detail = 'The access token is not valid.') {
    super('TOKEN_INVALID', detail);
  }
}

/** The keys that sign access tokens could not be obtained: the token may well be valid, so retry later. */
export class AuthKeysUnavailableError extends ServiceUnavailableError {
  constructor(retryAfterSeconds: number, cause?: unknown) {
    super('AUTH_KEYS_UNAVAILABLE', 'The keys that verify access tokens cannot be obtained right now; retry shortly.', retryAfterSeconds);
    // The base class takes no cause; kept so the logged 503 shows why the key set was unreachable.
    this.cause = cause;
  }
}
