/**
 * A provider call that did not succeed. `transient` failures (5xx, 429, timeouts, connection
 * errors; SMTP 4xx) are retried with backoff; the rest (HTTP 4xx, SMTP 5xx) never are.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  static fromHttp(provider: string, status: number, body: string): ProviderError {
    return new ProviderError(`${provider} answered ${status}: ${body.slice(0, 300)}`, status >= 500 || status === 429 || status === 408, status);
  }
}

/** Anything thrown by a sender, as a ProviderError; unknown errors (network, timeouts) are transient. */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError(message.slice(0, 500), true);
}
