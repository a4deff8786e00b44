import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactionPaths } from './redaction.js';

describe('redactionPaths', () => {
  it('hides secrets at any logged depth', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ redact: { paths: redactionPaths(), censor: '[redacted]' } }, sink);
    logger.info({ password: 'p1', body: { refreshToken: 'r1', user: { profile: { apiKey: 'k1' } } }, headers: { authorization: 'Bearer t1' } });
    const line = lines.join('');
    for (const secret of ['p1', 'r1', 'k1', 'Bearer t1']) expect(line).not.toContain(secret);
    expect(line.match(/\[redacted\]/g)).toHaveLength(4);
  });
});
