import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from './redaction.js';

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

class UpstreamError extends Error {
  readonly code = 'UPSTREAM_STATUS';

  constructor(
    readonly headers: Record<string, string | string[]>,
    readonly body: string,
    cause?: unknown,
  ) {
    super('upstream answered 502', { cause });
    this.name = 'UpstreamError';
  }
}

describe('redactSecrets on errors', () => {
  const headers = { authorization: 'Bearer t1', 'set-cookie': ['sid=c1'], 'content-type': 'application/json' };

  it('hides the secrets an error carries and keeps what explains it readable', () => {
    const { logger, text } = capture();
    const error = new UpstreamError(headers, '{"error":"expired","access_token":"t2","detail":"Bearer t3 refused"}');
    logger.error({ err: error }, 'call failed');
    for (const secret of ['t1', 'c1', 't2', 't3']) expect(text()).not.toMatch(new RegExp(`\\b${secret}\\b`));
    const { err } = JSON.parse(text());
    expect(err).toMatchObject({ type: 'UpstreamError', message: 'upstream answered 502', code: 'UPSTREAM_STATUS', name: 'UpstreamError' });
    expect(err.stack).toContain('UpstreamError: upstream answered 502');
    expect(err.headers['content-type']).toBe('application/json');
    expect(err.body).toContain('"error":"expired"');
  });

  it('hides the secrets of causes and aggregated errors, and of the key=value text in messages', () => {
    const { logger, text } = capture();
    const cause = new Error('refused ?client_secret=s1&page=2');
    const error = new AggregateError([new UpstreamError(headers, 'api_key=k1')], 'all failed', { cause });
    logger.error({ err: error });
    for (const secret of ['t1', 'c1', 's1', 'k1']) expect(text()).not.toMatch(new RegExp(`\\b${secret}\\b`));
    expect(text()).toContain('page=2');
  });

  it('bounds what is logged of a large body', () => {
    const { logger, text } = capture();
    logger.error({ err: new UpstreamError({}, 'x'.repeat(64 * 1024)) });
    expect(text().length).toBeLessThan(8 * 1024);
    expect(JSON.parse(text()).err.body).toMatch(/^x+… \[\d+ more characters\]$/);
  });

  it('never changes the logged error itself', () => {
    const body = 'x'.repeat(64 * 1024) + 'token=t2';
    const error = new UpstreamError(headers, body);
    const { err } = redactSecrets({ err: error }) as { err: UpstreamError };
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).not.toBe(error);
    expect(error.headers).toBe(headers);
    expect(headers.authorization).toBe('Bearer t1');
    expect(error.body).toBe(body);
    const clean = new Error('nothing secret');
    expect(redactSecrets({ err: clean }).err).toBe(clean);
  });
});

describe('secret key names', () => {
  it('match in snake_case, kebab-case and any letter case', () => {
    const { logger, text } = capture();
    logger.info({
      access_token: 's1',
      REFRESH_TOKEN: 's2',
      id_token: 's3',
      client_secret: 's4',
      'Api-Key': 's5',
      private_key: 's6',
      X_API_KEY: 's7',
      body: { session_token: 's8', Set_Cookie: 's9' },
      tokenCount: 3,
    });
    for (const secret of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']) expect(text()).not.toContain(`"${secret}"`);
    expect(JSON.parse(text()).tokenCount).toBe(3);
  });
});

describe('redactUrl', () => {
  it('hides secret query parameters in any spelling and keeps the others', () => {
    const url = redactUrl('/v1/x?access_token=s1&Client-Secret=s2&API_KEY=s3&token=s4&page=2');
    for (const secret of ['s1', 's2', 's3', 's4']) expect(url).not.toContain(secret);
    expect(url).toMatch(/^\/v1\/x\?.*page=2/);
  });

  it('returns a URL without secrets as is', () => {
    expect(redactUrl('/v1/x?page=2&sort=name')).toBe('/v1/x?page=2&sort=name');
    expect(redactUrl('/v1/x')).toBe('/v1/x');
  });
});
