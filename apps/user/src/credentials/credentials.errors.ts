import { ValidationFailedError } from '@dentalos/core';

/** A 400 in the same shape as every other field error, so clients show it beside the field. */
export class WeakPasswordError extends ValidationFailedError {
  constructor(reason: string, field = 'password') {
    super([{ field, constraint: 'passwordPolicy', message: `${field} ${reason}` }], `The ${field} is not acceptable: it ${reason}.`);
  }
}
