import { AppError, ServiceUnavailableError } from '@dentalos/core';

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds the ${limitBytes}-byte limit.`, {
      extensions: { limitBytes },
      headers: { connection: 'close' },
    });
  }
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
