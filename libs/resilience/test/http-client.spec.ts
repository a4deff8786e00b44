import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  FakeClock,
  HttpStatusError,
  InvalidPolicyOptionError,
  ResilientHttpClient,
  type ResilientHttpClientOptions,
  RetriesExhaustedError,
  TimeoutError,
} from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

/** A real local upstream whose behaviour each test scripts, counting requests and sockets. */
class Upstream {
  server!: Server;
  url!: string;
  requests: { method: string; url: string }[] = [];
  sockets = 0;
  handler: Handler = (_req, res) => res.end('{}');

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method!, url: req.url! });
      req.resume();
      this.handler(req, res, this.requests.length);
    });
    this.server.on('connection', () => this.sockets++);
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(handler: Handler): void {
    this.requests = [];
    this.sockets = 0;
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('ResilientHttpClient against a real upstream', () => {
  const upstream = new Upstream();
  const clients: ResilientHttpClient[] = [];
  const client = (options: Partial<ResilientHttpClientOptions> = {}) => {
    const created = new ResilientHttpClient({
      name: 'upstream',
      baseUrl: upstream.url,
      retry: { backoff: { type: 'constant', delayMs: 1 } },
      ...options,
    });
    clients.push(created);
    return created;
  };

  beforeAll(() => upstream.start());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((created) => created.close()));
  });
  afterAll(() => upstream.stop());

  it('reuses one keep-alive socket for sequential requests and prefixes the base path', async () => {
    upstream.reset((req, res) => json(res, 200, { path: req.url }));
    const http = client({ baseUrl: `${upstream.url}/api/v1/` });
    for (let i = 0; i < 20; i++) expect(await http.get(`/users/${i}`)).toEqual({ path: `/api/v1/users/${i}` });
    // Sequential requests share a kept-alive socket (undici may open a second while the first frees up).
    expect(upstream.sockets).toBeLessThanOrEqual(2);
  });

  it('retries a 503 on GET and returns the later success', async () => {
    upstream.reset((_req, res, count) => (count < 3 ? json(res, 503, { title: 'busy' }) : json(res, 200, { ok: true })));
    expect(await client().get('/thing')).toEqual({ ok: true });
    expect(upstream.requests).toHaveLength(3);
  });

  it('honours Retry-After on a 429 before the next try', async () => {
    const clock = new FakeClock();
    upstream.reset((_req, res, count) => (count === 1 ? json(res, 429, {}, { 'retry-after': '3' }) : json(res, 200, { ok: true })));
    const http = client({ clock });
    const waits: number[] = [];
    http.retry.events.on('retry', ({ delayMs }) => {
      waits.push(delayMs);
      void clock.advance(delayMs);
    });
    expect(await http.get('/limited')).toEqual({ ok: true });
    expect(waits).toEqual([3_000]);
  });

  it('does not retry a POST, but retries one with an Idempotency-Key', async () => {
    upstream.reset((_req, res) => json(res, 503, {}));
    const http = client();
    const plain = await http.request({ method: 'POST', path: '/orders', body: '{}' }).catch((error: unknown) => error);
    expect(plain).toBeInstanceOf(HttpStatusError);
    expect(upstream.requests).toHaveLength(1);
    upstream.reset((_req, res) => json(res, 503, {}));
    const keyed = await http
      .request({ method: 'POST', path: '/orders', body: '{}', headers: { 'Idempotency-Key': 'k-1' } })
      .catch((error: unknown) => error);
    expect(keyed).toBeInstanceOf(RetriesExhaustedError);
    expect(upstream.requests).toHaveLength(3);
  });

  it('returns a 4xx as a response, without retrying it or counting it against the breaker', async () => {
    upstream.reset((_req, res) => json(res, 404, { title: 'Not Found' }));
    const http = client({ breaker: { window: { type: 'consecutive', failureThreshold: 1 } } });
    for (let i = 0; i < 3; i++) {
      const response = await http.request({ path: '/missing' });
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({ title: 'Not Found' });
    }
    expect(upstream.requests).toHaveLength(3);
    expect(http.breaker!.state).toBe('closed');
  });

  it('throws a 500 once, keeping status and body for the caller to relay', async () => {
    upstream.reset((_req, res) => json(res, 500, { code: 'BOOM' }));
    const error = (await client().get('/fails').catch((e: unknown) => e)) as HttpStatusError;
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 500, upstream: 'upstream', method: 'GET', path: '/fails' });
    expect(JSON.parse(error.body)).toEqual({ code: 'BOOM' });
    expect(upstream.requests).toHaveLength(1);
  });

  it('abandons a hung attempt at the per-try timeout and retries', async () => {
    upstream.reset((_req, res, count) => (count === 1 ? undefined : json(res, 200, { second: true })));
    expect(await client({ perTryTimeoutMs: 100, deadlineMs: 5_000 }).get('/slow-once')).toEqual({ second: true });
    expect(upstream.requests).toHaveLength(2);
  });

  it('gives up at the whole-call deadline with a TimeoutError', async () => {
    upstream.reset(() => undefined);
    const error = await client({ perTryTimeoutMs: 150, deadlineMs: 250, retry: { maxAttempts: 10, backoff: { type: 'constant', delayMs: 1 } } })
      .get('/hangs')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(250);
    expect(upstream.requests.length).toBeLessThanOrEqual(2);
  });

  it('retries connection failures and reports the network error as the cause', async () => {
    const dead = new Upstream();
    await dead.start();
    const url = dead.url;
    await dead.stop();
    const error = (await client({ baseUrl: url }).get('/').catch((e: unknown) => e)) as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(3);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('opens its breaker on failures and then fails fast without touching the upstream', async () => {
    upstream.reset((_req, res) => json(res, 502, {}));
    const http = client({ retry: { maxAttempts: 1 }, breaker: { window: { type: 'count', size: 4 }, minimumCalls: 4, openDuration: 60_000 } });
    for (let i = 0; i < 4; i++) await http.get('/').catch(() => undefined);
    expect(http.breaker!.state).toBe('open');
    expect(await http.get('/').catch((e: unknown) => e)).toBeInstanceOf(BrokenCircuitError);
    expect(upstream.requests).toHaveLength(4);
  });

  it('limits concurrency per upstream with its bulkhead', async () => {
    const pending: ServerResponse[] = [];
    upstream.reset((_req, res) => pending.push(res));
    const http = client({ bulkhead: { maxConcurrent: 1, maxQueue: 0 } });
    const first = http.get('/one');
    await expect(http.get('/two')).rejects.toBeInstanceOf(BulkheadRejectedError);
    while (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    json(pending[0], 200, { one: true });
    expect(await first).toEqual({ one: true });
  });

  it('stops the request when the caller aborts', async () => {
    upstream.reset(() => undefined);
    const controller = new AbortController();
    const call = client().request({ path: '/wait', signal: controller.signal });
    while (upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('client disconnected'));
    await expect(call).rejects.toThrow('client disconnected');
    expect(upstream.requests).toHaveLength(1);
  });

  it('rejects bad options naming them', () => {
    expect(() => new ResilientHttpClient({ name: 'x', baseUrl: 'not a url' })).toThrow(/^http\.baseUrl /);
    expect(() => new ResilientHttpClient({ name: 'x', baseUrl: 'ftp://host' })).toThrow(InvalidPolicyOptionError);
    expect(() => new ResilientHttpClient({ name: 'x', baseUrl: 'http://h', perTryTimeoutMs: 500, deadlineMs: 100 })).toThrow(/^http\.deadlineMs /);
  });
});
