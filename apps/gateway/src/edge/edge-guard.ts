import { Injectable } from '@nestjs/common';
import { TokenMissingError, TokenVerifier, bearerToken } from '@dentalos/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PathNotAllowedError } from '../proxy/proxy.errors.js';
import { RateLimitedError } from '../rate-limit/rate-limit.errors.js';
import { type RateDecision, RateLimiter } from '../rate-limit/rate-limiter.service.js';
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

/** The decision whose tightest policy has the least left: the one RateLimit headers describe. */
function tighter(first: RateDecision, second: RateDecision): RateDecision {
  if (!first.admitted) return first;
  if (!second.admitted) return second;
  return second.remaining < first.remaining ? second : first;
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
    if (this.publicRoutes.isPublic(request.method, path)) {
      this.enforce(reply, await this.limiter.check(request.method, path, request.ip, undefined));
      return;
    }
    const token = bearerToken(request.headers.authorization);
    const known = token === undefined ? undefined : this.verifier.verifiedBefore(token);
    if (known) {
      this.enforce(reply, await this.limiter.check(request.method, path, request.ip, known.id));
      return;
    }
    // A caller not known yet pays its address's budget before any signature is checked, so floods
    // of missing, forged or expired tokens are limited like other traffic and, once over the
    // limit, cost no RSA verification.
    const byAddress = await this.limiter.check(request.method, path, request.ip, undefined);
    this.enforce(reply, byAddress);
    if (!token) throw new TokenMissingError();
    const user = await this.verifier.verify(token);
    this.enforce(reply, tighter(byAddress, await this.limiter.checkUser(user.id)));
  }

  private enforce(reply: FastifyReply, decision: RateDecision): void {
    reply.headers(decision.headers);
    if (!decision.admitted) throw new RateLimitedError(decision.policy, decision.retryAfterSeconds, decision.headers);
  }
}
