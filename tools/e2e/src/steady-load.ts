import type { Organization } from './fixtures.js';
import type { Api } from './http.js';
import type { LoadStep } from './load.js';
import { type Person, login } from './people.js';

/** Reads on every upstream and a write on one, round robin: what the process fault suites run under. */
export function mixedSteps(person: Person, org: Organization): (n: number) => LoadStep {
  return (n) => {
    const token = person.accessToken;
    switch (n % 4) {
      case 0:
        return { label: 'user GET /users/me', method: 'GET', path: '/api/v1/users/me', token };
      case 1:
        return { label: 'enterprise GET /organizations/:id', method: 'GET', path: `/api/v1/organizations/${org.id}`, token };
      case 2:
        return { label: 'notification GET /preferences/me', method: 'GET', path: '/api/v1/preferences/me', token };
      default:
        return { label: 'user PATCH /users/me', method: 'PATCH', path: '/api/v1/users/me', token, body: { displayName: `Load ${n}` } };
    }
  };
}

/** Rolling restarts (replacement ready, then SIGTERM) per service: the 10 (E2E_RESTARTS overrides). */
export const RESTARTS = Number(process.env.E2E_RESTARTS ?? 10);

/** `pm2 reload`s per service, as many as rolling restarts (E2E_PM2_RELOADS overrides). */
export const PM2_RELOADS = Number(process.env.E2E_PM2_RELOADS ?? 10);

/**
 * Test timeout for a run of `replacements` restarts or reloads: a generous bound per replacement
 * (a cold start on two shared cores) so only a hang ends the test, never a slow machine.
 */
export function replacementsTimeoutMs(replacements: number): number {
  return 60_000 + replacements * 30_000;
}

/** Access tokens live 10 minutes at most; long fault runs sign in again well before that. */
const TOKEN_REFRESH_AFTER_MS = 5 * 60_000;

/**
 * Returns a function to call between fault steps: once the person's access token is half way
 * through its life it signs them in again, and mixedSteps() picks the new token up.
 */
export function tokenKeeper(api: Api, person: Person): () => Promise<void> {
  let issuedAt = Date.now();
  return async () => {
    if (Date.now() - issuedAt < TOKEN_REFRESH_AFTER_MS) return;
    Object.assign(person, await login(api, person.email, person.password));
    issuedAt = Date.now();
  };
}
