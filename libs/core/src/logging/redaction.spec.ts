import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redaction.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: pino({ formatters: { log: redactSecrets } }, sink), text: () => lines.join('') };
}

describe('redactSecrets', () => {
  it('hides secrets at any logged depth, keys in any case', () => {
    const { logger, text } = capture();
    logger.info({
      password: 'p1',
      body: { refreshToken: 'r1', user: { profile: { apiKey: 'k1' } }, list: [{ Token: 't2' }] },
      headers: { Authorization: 'Bearer t1', 'set-cookie': ['c1'] },
    });
    for (const secret of ['p1', 'r1', 'k1', 'Bearer t1', 't2', 'c1']) expect(text()).not.toContain(secret);
    expect(text().match(/\[redacted\]/g)).toHaveLength(6);
  });

  it('leaves the logged object itself untouched and returns it as is when clean', () => {
    const body = { user: { password: 'p1' } };
    const redacted = redactSecrets({ body });
    expect(body.user.password).toBe('p1');
    expect(redacted).toEqual({ body: { user: { password: '[redacted]' } } });
    const clean = { req: { method: 'GET', url: '/x' }, res: { statusCode: 200 } };
    expect(redactSecrets(clean)).toBe(clean);
  });
});
