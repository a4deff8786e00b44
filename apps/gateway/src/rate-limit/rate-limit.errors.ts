import { AppError } from '@dentalos/core';

export class RateLimitedError extends AppError {
  constructor(policy: string, retryAfterSeconds: number, headers: Record<string, string>) {
    super(429, 'RATE_LIMITED', `Too many requests for the '${policy}' limit; retry in ${retryAfterSeconds} s.`, {
      headers: { ...headers, 'retry-after': String(retryAfterSeconds) },
      extensions: { policy, retryAfterSeconds },
    });
  }
}
