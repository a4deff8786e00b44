import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC } from '@dentalos/core';
import { type AuthenticatedRequest, REQUIRED_ROLES } from './decorators.js';
import { TokenMissingError } from './token.errors.js';
import { TokenVerifier } from './token-verifier.js';

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** Every route needs a valid access token unless marked `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      // Public routes still learn who is calling when a valid token is offered.
      if (token) request.user = await this.verifier.verify(token).catch(() => undefined);
      return true;
    }
    if (!token) throw new TokenMissingError();
    request.user = await this.verifier.verify(token);
    request.accessToken = token;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => request.user!.roles.includes(role))) {
      throw new ForbiddenError('ROLE_REQUIRED', `One of these roles is required: ${required.join(', ')}.`);
    }
    return true;
  }
}
