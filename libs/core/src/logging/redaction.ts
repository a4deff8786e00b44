/**
 * Field and query parameter names whose values never reach a log line, at any depth we log. Each
 * name matches in any letter case and with `_`, `-` or nothing between its words: `accessToken`
 * also covers `access_token`, `ACCESS-TOKEN` and `AccessToken`.
 */
export const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'passphrase',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'authToken',
  'sessionToken',
  'x-auth-token',
  'secret',
  'clientSecret',
  'secretKey',
  'secretAccessKey',
  'apiKey',
  'x-api-key',
  'privateKey',
  'privateKeyPem',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
];

export const REDACTED = '[redacted]';

const MAX_DEPTH = 8;

/** An upstream body kept on an error can reach 64 KiB; its start is enough to explain a failure. */
const MAX_ERROR_TEXT_CHARS = 2048;

/** Not enumerable, yet written by pino's error serializer: message and stack (with the causes'), aggregated errors. */
const ERROR_INTERNALS = ['message', 'stack', 'cause', 'errors'];

/** Free text logged whole, never cut short: what explains the failure. */
const ERROR_EXPLANATIONS = new Set(['message', 'stack']);

const WORD_SEPARATORS = ['', '_', '-'];

function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter((word) => word !== '');
}

/** Every lower-case spelling of the names, so that a lookup costs one `toLowerCase`. */
function spellingsOf(keys: readonly string[]): Set<string> {
  return new Set(keys.flatMap((key) => WORD_SEPARATORS.map((separator) => wordsOf(key).join(separator))));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A quoted value (closing quote optional: the text may be cut short), or a bare one with its auth scheme. */
const ASSIGNED_VALUE = String.raw`"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|(?:(?:bearer|basic)\s+)?[^\s"'&,;)\]}<>]+`;

const CREDENTIAL = /\b(bearer|basic)\s+[^\s"'&,;)\]}<>]+/gi;

/** `name=value`, `name: value` and `"name": "value"` for every spelling of the names. */
function assignmentPattern(keys: readonly string[]): RegExp {
  const names = keys.map((key) => wordsOf(key).map(escapeRegExp).join('[-_]?')).join('|');
  return new RegExp(`(\\b(?:${names})["']?\\s*[:=]\\s*)(${ASSIGNED_VALUE})`, 'gi');
}

/** Redacts the secrets written out in free text, such as an upstream body or an error message. */
function createTextRedactor(keys: readonly string[]) {
  const assignment = assignmentPattern(keys);
  const redactValue = (_match: string, name: string, value: string): string => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${name}${quote}${REDACTED}${quote}`;
  };
  return (text: string): string => text.replace(CREDENTIAL, `$1 ${REDACTED}`).replace(assignment, redactValue);
}

function copyOfError(error: Error): Error {
  return Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error)) as Error;
}

function loggedKeysOf(error: Error): Set<string> {
  return new Set([...Object.keys(error), ...ERROR_INTERNALS.filter((key) => Object.hasOwn(error, key))]);
}

/**
 * Replaces the values of secret-named keys at any depth, copying only the objects on the path to
 * a secret. Used as pino's `formatters.log`: a log object without secrets costs one key scan,
 * where pino's wildcard `redact` paths cost tens of microseconds on every line.
 *
 * An error is copied with its prototype, so that pino still serializes it as one. Its text, at any
 * depth, also loses the secrets written out in it, and long text is cut short: an error carries
 * what it met (an upstream's headers and body, a connection string), and is rarely logged.
 */
export function createSecretRedactor(keys: readonly string[] = SECRET_KEYS) {
  const secret = spellingsOf(keys);
  const redactText = createTextRedactor(keys);

  function redactErrorText(text: string): string {
    if (text.length <= MAX_ERROR_TEXT_CHARS) return redactText(text);
    return `${redactText(text.slice(0, MAX_ERROR_TEXT_CHARS))}… [${text.length - MAX_ERROR_TEXT_CHARS} more characters]`;
  }

  function redact(value: unknown, depth: number, inError: boolean): unknown {
    if (typeof value === 'string') return inError ? redactErrorText(value) : value;
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
    if (value instanceof Error) return redactError(value, depth);
    if (Array.isArray(value)) return redactArray(value, depth, inError);
    return redactObject(value as Record<string, unknown>, depth, inError);
  }

  function redactArray(array: unknown[], depth: number, inError: boolean): unknown[] {
    let copy: unknown[] | undefined;
    array.forEach((item, index) => {
      const redacted = redact(item, depth + 1, inError);
      if (redacted !== item) (copy ??= [...array])[index] = redacted;
    });
    return copy ?? array;
  }

  function redactObject(object: Record<string, unknown>, depth: number, inError: boolean): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    for (const [key, child] of Object.entries(object)) {
      const redacted = secret.has(key.toLowerCase()) ? REDACTED : redact(child, depth + 1, inError);
      if (redacted !== child) (copy ??= { ...object })[key] = redacted;
    }
    return copy ?? object;
  }

  function redactErrorMember(key: string, child: unknown, depth: number): unknown {
    if (secret.has(key.toLowerCase())) return REDACTED;
    if (typeof child === 'string' && ERROR_EXPLANATIONS.has(key)) return redactText(child);
    return redact(child, depth + 1, true);
  }

  function redactError(error: Error, depth: number): Error {
    let copy: Error | undefined;
    for (const key of loggedKeysOf(error)) {
      const child: unknown = Reflect.get(error, key);
      const redacted = redactErrorMember(key, child, depth);
      // The copy keeps each member's attributes: pino writes only the enumerable ones.
      if (redacted !== child) Object.defineProperty((copy ??= copyOfError(error)), key, { value: redacted });
    }
    return copy ?? error;
  }

  return <T extends object>(object: T): T => redact(object, 0, false) as T;
}

export const redactSecrets = createSecretRedactor();

const SECRET_SPELLINGS = spellingsOf(SECRET_KEYS);

/** A URL fit for a log line: the values of secret-named query parameters are replaced. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = new URLSearchParams(url.slice(queryStart + 1));
  let redacted = false;
  for (const key of new Set(query.keys())) {
    if (SECRET_SPELLINGS.has(key.toLowerCase())) {
      query.set(key, REDACTED);
      redacted = true;
    }
  }
  return redacted ? `${url.slice(0, queryStart)}?${query.toString()}` : url;
}
