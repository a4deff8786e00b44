/** Field names whose values never reach a log line, at any depth we log. */
export const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'clientSecret',
  'apiKey',
  'privateKey',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
];

const MAX_DEPTH = 5;

/**
 * pino's redaction matches fixed paths; spelling each key out at depths 0..5 gives the "any
 * depth" guarantee without a per-line object walk.
 */
export function redactionPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    for (let depth = 0; depth <= MAX_DEPTH; depth++) {
      const prefix = '*.'.repeat(depth);
      paths.push(segment.startsWith('[') ? `${prefix.slice(0, -1)}${segment}` : `${prefix}${segment}`);
    }
  }
  return paths.filter((path) => !path.startsWith('['));
}
