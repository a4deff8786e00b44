import { Injectable } from '@nestjs/common';
import { TokenMissingError, TokenVerifier, bearerToken } from '@dentalos/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PathNotAllowedError } from '../proxy/proxy.errors.js';
import { RateLimitedError } from '../rate-limit/rate-limit.errors.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { PublicRoutes } from '../routing/public-routes.js';

/**
 * Dot segments and encoded separators could make an upstream resolve a path the gateway never
 * routed (its /metrics or /health), so such paths never leave the gateway.
 */
const SMUGGLED_PATH = /(^|\/)\.{1,2}(\/|$)|%2e|%2f|%5c|\\/i;

export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * What every proxied request passes before a byte goes upstream: a sane path, a valid token
 * unless the route is on the public allow-list, and the rate limits.
 */
@Injectable()
export class EdgeGuard {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly publicRoutes: PublicRoutes,
    private readonly limiter: RateLimiter,
  ) {}

  async admit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = pathOf(request.url);
    if (SMUGGLED_PATH.test(path)) throw new PathNotAllowedError();
    let userId: string | undefined;
    if (!this.publicRoutes.isPublic(request.method, path)) {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw new TokenMissingError();
      userId = (await this.verifier.verify(token)).id;
    }
    const decision = await this.limiter.check(request.method, path, request.ip, userId);
    reply.headers(decision.headers);
    if (!decision.admitted) throw new RateLimitedError(decision.policy, decision.retryAfterSeconds, decision.headers);
  }
}
