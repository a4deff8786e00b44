import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { WeakPasswordError } from './credentials.errors.js';

export const PASSWORD_MIN_LENGTH = 8;
/** Long passphrases are welcome; the cap only bounds hashing work per request. */
export const PASSWORD_MAX_LENGTH = 128;

// The same relative path from src/credentials, dist/credentials and the bundle in dist/bundle, so
// builds need no copy step.
const LIST_FILE = new URL('../../src/credentials/common-passwords.txt', import.meta.url);

/**
 * NIST SP 800-63B / OWASP: length only, no composition rules, and no password from a list of
 * common or breached ones. The list is read once per process.
 */
@Injectable()
export class PasswordPolicy {
  private static list?: Set<string>;

  private get common(): Set<string> {
    PasswordPolicy.list ??= new Set(
      readFileSync(LIST_FILE, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.trim().toLowerCase()),
    );
    return PasswordPolicy.list;
  }

  get listSize(): number {
    return this.common.size;
  }

  /** Length is checked by the DTO; this adds what a decorator cannot know. */
  assertAcceptable(password: string, email?: string, field = 'password'): void {
    const lowered = password.toLowerCase();
    if (this.common.has(lowered)) throw new WeakPasswordError('is on a list of common or breached passwords; choose another', field);
    if (email && (lowered === email || lowered === email.split('@')[0])) throw new WeakPasswordError('must not be your email address', field);
  }
}
