import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC } from '@dentalos/core';
import type { AuthUser } from './auth-user.js';
import { type AuthenticatedRequest, REQUIRED_ROLES } from './decorators.js';
import { TokenMissingError } from './token.errors.js';
import { TokenVerifier } from './token-verifier.js';

const SCHEME = 'bearer';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header || header.charAt(SCHEME.length) !== ' ' || header.slice(0, SCHEME.length).toLowerCase() !== SCHEME) return undefined;
  const start = SCHEME.length + 1;
  const end = header.indexOf(' ', start);
  return header.slice(start, end === -1 ? undefined : end) || undefined;
}

interface RouteRules {
  isPublic: boolean;
  requiredRoles?: string[];
}

/**
 * Every route needs a valid access token unless marked `@Public()`. A token verified before
 * settles synchronously: Nest awaits nothing for a guard that returns a boolean.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  // Decorator metadata never changes after start-up; reading it walks prototype chains.
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rules = this.rulesFor(context.getHandler(), context.getClass());
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (rules.isPublic) {
      if (!token) return true;
      // Public routes still learn who is calling when a valid token is offered.
      const known = this.verifier.verifiedBefore(token);
      if (known) {
        request.user = known;
        return true;
      }
      return this.verifier.verify(token).then(
        (user) => {
          request.user = user;
          return true;
        },
        () => true,
      );
    }
    if (!token) throw new TokenMissingError();
    const known = this.verifier.verifiedBefore(token);
    if (known) return this.admit(request, token, known, rules);
    return this.verifier.verify(token).then((user) => this.admit(request, token, user, rules));
  }

  private admit(request: AuthenticatedRequest, token: string, user: AuthUser, rules: RouteRules): true {
    request.user = user;
    request.accessToken = token;
    const required = rules.requiredRoles;
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenError('ROLE_REQUIRED', `One of these roles is required: ${required.join(', ')}.`);
    }
    return true;
  }

  private rulesFor(handler: ReturnType<ExecutionContext['getHandler']>, controller: ReturnType<ExecutionContext['getClass']>): RouteRules {
    let byController = this.rules.get(handler);
    if (!byController) this.rules.set(handler, (byController = new WeakMap()));
    let rules = byController.get(controller);
    if (!rules) {
      const targets = [handler, controller];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        requiredRoles: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets),
      };
      byController.set(controller, rules);
    }
    return rules;
  }
}
