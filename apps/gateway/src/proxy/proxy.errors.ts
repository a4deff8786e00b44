import { AppError, ServiceUnavailableError } from '@dentalos/core';

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds the ${limitBytes}-byte limit.`, {
      extensions: { limitBytes },
      headers: { connection: 'close' },
    });
  }
}

/** The client's body stopped arriving before the route deadline: its connection is closed. */
export class RequestBodyTimeoutError extends AppError {
  constructor() {
    super(408, 'REQUEST_TIMEOUT', 'The request body did not arrive in time.', { headers: { connection: 'close' } });
  }
}

/** The client went away (or its connection was cut) while sending the body. */
export class RequestBodyAbortedError extends AppError {
  constructor(cause: unknown) {
    super(400, 'REQUEST_BODY_ABORTED', 'The request body was cut off by the client.', { headers: { connection: 'close' }, cause });
  }
}

/** Failures of the client's own making, which say nothing about an upstream's health. */
export function isClientFault(error: unknown): boolean {
  const isOwn = (candidate: unknown) =>
    candidate instanceof PayloadTooLargeError || candidate instanceof RequestBodyTimeoutError || candidate instanceof RequestBodyAbortedError;
  // undici may wrap the body stream's error.
  return isOwn(error) || isOwn((error as { cause?: unknown } | undefined)?.cause);
}

export class UpstreamTimeoutError extends AppError {
  constructor(upstream: string) {
    super(504, 'UPSTREAM_TIMEOUT', `The ${upstream} service did not answer in time.`, { extensions: { upstream } });
  }
}

export class UpstreamUnreachableError extends AppError {
  constructor(upstream: string, cause?: unknown) {
    super(502, 'UPSTREAM_UNREACHABLE', `The ${upstream} service could not be reached.`, { extensions: { upstream }, cause });
  }
}

export class CircuitOpenError extends ServiceUnavailableError {
  constructor(upstream: string, retryAfterSeconds: number) {
    super('UPSTREAM_CIRCUIT_OPEN', `The ${upstream} service is failing; requests to it are paused.`, retryAfterSeconds);
  }
}

export class UpstreamSaturatedError extends ServiceUnavailableError {
  constructor(upstream: string) {
    super('UPSTREAM_SATURATED', `Too many requests are in flight to the ${upstream} service.`, 1);
  }
}

export class PathNotAllowedError extends AppError {
  constructor() {
    super(400, 'PATH_NOT_ALLOWED', 'The path contains dot segments or encoded separators.');
  }
}
