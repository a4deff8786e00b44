import { STATUS_CODES } from 'node:http';

export interface FieldError {
  field: string;
  constraint: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra members of the problem document, e.g. `{ resource, limit, current }`. */
  extensions?: Record<string, unknown>;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error with a stable machine `code`, rendered once as RFC 9457 problem+json by the global
 * filter. Modules subclass it in their own `*.errors.ts` files.
 */
export class AppError extends Error {
  readonly extensions: Record<string, unknown>;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.extensions = options.extensions ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get title(): string {
    return STATUS_CODES[this.status] ?? 'Error';
  }
}

export class ValidationFailedError extends AppError {
  constructor(errors: FieldError[], detail = 'The request is not valid; see errors[] for each field.') {
    super(400, 'VALIDATION_FAILED', detail, { errors });
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id?: string) {
    const code = `${resource.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_NOT_FOUND`;
    super(404, code, id === undefined ? `${resource} not found.` : `${resource} '${id}' not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string, extensions?: Record<string, unknown>) {
    super(409, code, detail, { extensions });
  }
}

export class PreconditionFailedError extends AppError {
  constructor(detail = 'The resource changed since it was read; fetch it again and retry with the new ETag.') {
    super(412, 'PRECONDITION_FAILED', detail);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHORIZED', detail = 'Authentication is required.') {
    super(401, code, detail, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', detail = 'You are not allowed to do this.', extensions?: Record<string, unknown>) {
    super(403, code, detail, { extensions });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, detail: string, retryAfterSeconds = 1) {
    super(503, code, detail, { headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}
