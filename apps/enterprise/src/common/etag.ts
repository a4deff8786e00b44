import { type CallHandler, createParamDecorator, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, tap } from 'rxjs';
import { PreconditionFailedError, ValidationFailedError } from '@dentalos/core';

/** Strong ETag from the optimistic version every mutable document carries. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * The version a client expects from `If-Match` (`"3"` or `W/"3"`), undefined when absent.
 * `*` means "any current version". A malformed value is a 400, not a silent overwrite.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(ifMatch);
  if (!match) {
    throw new ValidationFailedError([{ field: 'If-Match', constraint: 'etag', message: 'If-Match must be an ETag such as "3"' }]);
  }
  return Number(match[1]);
}

/** Refuses a write based on a stale read before any database work happens. */
export function assertFresh(expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) throw new PreconditionFailedError();
}

/** `@IfMatch()`: the version the client read, parsed from the If-Match header. */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  return expectedVersion(Array.isArray(header) ? header[0] : header);
});

/** Sends `ETag` for every single-resource response that carries a `version`. */
@Injectable()
export class EtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (typeof version === 'number') context.switchToHttp().getResponse<FastifyReply>().header('etag', etagFor(version));
      }),
    );
  }
}

const serialized = new WeakMap<object, string>();

/**
 * For the hottest reads: sends the body's ETag and the body as JSON from the handler itself, with
 * neither an interceptor's per-request observable chain nor a per-request serialization — the
 * JSON is made once per body object, so this pays off for views shared between requests (never
 * mutate a body passed here).
 */
export async function sendVersioned<T extends { version: number }>(reply: FastifyReply, body: Promise<T>): Promise<string> {
  const view = await body;
  let json = serialized.get(view);
  if (json === undefined) {
    json = JSON.stringify(view);
    serialized.set(view, json);
  }
  reply.header('etag', etagFor(view.version)).type('application/json; charset=utf-8');
  return json;
}

/** Swagger for routes that honour If-Match. */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; a stale one is refused with 412', example: '"3"' });
