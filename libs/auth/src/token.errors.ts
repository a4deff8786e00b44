import { UnauthorizedError } from '@dentalos/core';

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
