/** Who is calling, as the access token says. Organization permissions come from enterprise RBAC. */
export interface AuthUser {
  /** User id (`sub`). */
  id: string;
  /** Device session id (`sid`). */
  sessionId: string;
  /** Global roles, e.g. `platform-admin`. */
  roles: string[];
  /** Seconds since epoch when the token expires. */
  expiresAt: number;
}

export const PLATFORM_ADMIN = 'platform-admin';
