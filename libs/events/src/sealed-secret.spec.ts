import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './sealed-secret.js';

const key = randomBytes(32).toString('base64');

describe('sealed secrets', () => {
  it('round-trips and never shows the plaintext', () => {
    const sealed = sealSecret('reset-token-123', key);
    expect(sealed).not.toContain('reset-token-123');
    expect(openSecret(sealed, key)).toBe('reset-token-123');
  });

  it('refuses a tampered value or another key', () => {
    const sealed = sealSecret('abc', key);
    const tampered = `${sealed.slice(0, -2)}AA`;
    expect(() => openSecret(tampered, key)).toThrow();
    expect(() => openSecret(sealed, randomBytes(32).toString('base64'))).toThrow();
  });

  it('rejects a key of the wrong size', () => {
    expect(() => sealSecret('abc', randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
