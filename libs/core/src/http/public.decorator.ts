import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'dentalos:isPublic';

/** Marks a route or controller as reachable without a token (health, metrics, login, JWKS…). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
