import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user.js';

export const REQUIRED_ROLES = 'dentalos:requiredRoles';

/** Only callers holding one of these global roles may call the route. */
export const Roles = (...roles: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser; accessToken?: string };

/** The verified caller of a non-public route. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
});
