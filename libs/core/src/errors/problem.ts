import { STATUS_CODES } from 'node:http';
import { AppError, type FieldError } from './app-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemContext {
  instance: string;
  requestId: string;
}

export interface RenderedProblem {
  problem: Problem;
  headers: Record<string, string>;
}

const STATUS_CODE_NAMES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  411: 'LENGTH_REQUIRED',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  428: 'PRECONDITION_REQUIRED',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** Fastify's own 4xx errors, named so clients can act on them. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_JSON_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Driver errors that mean "the database is unreachable", told apart by name only. */
const DATABASE_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** Turns a library's own error into the error callers should see, or returns it unchanged. */
export type ErrorTranslator = (error: unknown) => unknown;

const translators: ErrorTranslator[] = [];

/**
 * Lets libraries that core cannot depend on (resilience, for one) map their errors to problems,
 * e.g. an open circuit to 503 with Retry-After instead of an unknown 500.
 */
export function registerErrorTranslator(translator: ErrorTranslator): void {
  if (!translators.includes(translator)) translators.push(translator);
}

function translate(error: unknown): unknown {
  for (const translator of translators) {
    const translated = translator(error);
    if (translated !== error) return translated;
  }
  return error;
}

export function problemTypeFor(code: string): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function codeForStatus(status: number): string {
  return STATUS_CODE_NAMES[status] ?? `HTTP_${status}`;
}

function problem(status: number, code: string, detail: string, context: ProblemContext): Problem {
  return {
    type: problemTypeFor(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: context.instance,
    code,
    requestId: context.requestId,
  };
}

interface StatusCarrier {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
  getStatus?: () => number;
  getResponse?: () => unknown;
}

function httpExceptionDetail(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object' && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return fallback;
}

function isMongooseDisconnected(error: StatusCarrier): boolean {
  return (
    error.name === 'MongooseError' &&
    typeof error.message === 'string' &&
    /before initial connection is complete|buffering timed out|Connection was force closed/i.test(error.message)
  );
}

/**
 * Turns anything thrown into a problem document. Unknown errors become a 500 that carries only
 * the request id: internals stay in the logs.
 */
export function toProblem(thrown: unknown, context: ProblemContext): RenderedProblem {
  const error = translate(thrown);
  if (error instanceof AppError) {
    const rendered = problem(error.status, error.code, error.message, context);
    if (error.errors) rendered.errors = error.errors;
    return { problem: { ...error.extensions, ...rendered }, headers: error.headers };
  }
  const carrier = (error ?? {}) as StatusCarrier;
  if (typeof carrier.getStatus === 'function' && typeof carrier.getResponse === 'function') {
    const status = carrier.getStatus();
    const detail = httpExceptionDetail(carrier.getResponse(), String(carrier.message ?? ''));
    const cause = (error as { cause?: StatusCarrier }).cause;
    const code = (typeof cause?.code === 'string' && FRAMEWORK_CODES[cause.code]) || codeForStatus(status);
    return { problem: problem(status, code, detail, context), headers: {} };
  }
  const status = Number(carrier.statusCode ?? carrier.status);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    const code = (typeof carrier.code === 'string' && FRAMEWORK_CODES[carrier.code]) || codeForStatus(status);
    return { problem: problem(status, code, String(carrier.message ?? ''), context), headers: {} };
  }
  if ((typeof carrier.name === 'string' && DATABASE_UNAVAILABLE.has(carrier.name)) || isMongooseDisconnected(carrier)) {
    const rendered = problem(503, 'DATABASE_UNAVAILABLE', 'The database is not reachable; retry shortly.', context);
    return { problem: rendered, headers: { 'retry-after': '1' } };
  }
  if (carrier.code === 11000) {
    const rendered = problem(409, 'DUPLICATE', 'A resource with the same unique value already exists.', context);
    return { problem: rendered, headers: {} };
  }
  return {
    problem: problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred; quote the requestId when reporting it.', context),
    headers: {},
  };
}
