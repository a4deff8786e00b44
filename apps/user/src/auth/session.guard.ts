import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthenticatedRequest, bearerToken, TokenVerifier } from '@dentalos/auth';
import { IS_PUBLIC } from '@dentalos/core';
import { SessionRevokedError } from '../sessions/sessions.errors.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UserRepository } from '../users/user.repository.js';
import { acceptsSessionsOf } from '../users/user.schema.js';

/**
 * libs/auth proves a token is genuine; this guard adds what only the user service can know:
 * that the token's session (`sid`) is still open and the account still accepts it (active, same
 * session epoch). Other services accept a revoked session's token until it expires (≤ 10 min);
 * here it stops at once.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly sessions: SessionsService,
    private readonly users: UserRepository,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    // No token: the auth guard answers 401 TOKEN_MISSING. Verification is cached, so guard order costs nothing.
    if (!token) return true;
    const caller = (request.user ??= await this.verifier.verify(token));
    const [sessionEpoch, account] = await Promise.all([this.sessions.assertActive(caller), this.users.findSessionStanding(caller.id)]);
    if (!acceptsSessionsOf(account, sessionEpoch)) throw new SessionRevokedError();
    return true;
  }
}
