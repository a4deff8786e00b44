export { AuthGuard, bearerToken } from './auth.guard.js';
export { AuthModule, type AuthModuleOptions, JWT_KEY_RESOLVER } from './auth.module.js';
export { type AuthUser, PLATFORM_ADMIN } from './auth-user.js';
export { type AuthenticatedRequest, CurrentUser, REQUIRED_ROLES, Roles } from './decorators.js';
export { createRemoteKeySet, type RemoteKeySetOptions } from './remote-key-set.js';
export { AuthKeysUnavailableError, TokenExpiredError, TokenInvalidError, TokenMissingError } from './token.errors.js';
export { TokenVerifier, type TokenVerifierOptions } from './token-verifier.js';
