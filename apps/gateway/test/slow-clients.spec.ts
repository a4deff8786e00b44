import { connect, type Socket } from 'node:net';
import { type TestApp, type TestTokenIssuer, startTestTokenIssuer, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

const HEADERS_TIMEOUT_MS = 600;
const ROUTE_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 1_500;
/** How late a cut-off may come: the server's check interval (150 ms here) plus scheduling on a busy machine. */
const SLACK_MS = 1_500;

let issuer: TestTokenIssuer;
let files: FakeUpstream;
let gateway: TestApp<GatewayEnv>;
let token: string;
let admin: string;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  files = await new FakeUpstream('files').start();
  gateway = await startGateway([files], issuer, {
    GATEWAY_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    UPSTREAM_ROUTE_TIMEOUT_MS: String(ROUTE_TIMEOUT_MS),
    UPSTREAM_BREAKER_MIN_CALLS: '2',
  });
  token = await issuer.sign({ sub: 'uploader' });
  admin = await issuer.sign({ sub: 'admin', roles: ['platform-admin'] });
  await fetch(`${gateway.url}/api/v1/files/list`, { headers: { authorization: `Bearer ${token}` } }); // keys fetched, token verified
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([files?.close(), issuer?.close()]);
});

interface SlowClient {
  /** Everything the gateway wrote back. */
  received(): string;
  /** Resolves with the ms from connecting until the gateway closed the connection. */
  closed: Promise<number>;
}

/**
 * A raw TCP client that sends `head` at once, then `drip` every `everyMs` until the gateway
 * closes the connection: headers or a body that never finish arriving.
 */
function slowClient(head: string, drip: string, everyMs = 100): SlowClient {
  const { hostname, port } = new URL(gateway.url);
  const socket: Socket = connect(Number(port), hostname);
  const started = performance.now();
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined); // a reset after the 408 is the expected end
  socket.on('connect', () => socket.write(head));
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(drip);
  }, everyMs);
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(performance.now() - started);
    }),
  );
  return { received: () => received, closed };
}

/** Normal requests sent one after another until `until` settles; when each was answered, from `started`. */
async function normalTrafficDuring(until: Promise<unknown>, started: number): Promise<{ statuses: number[]; answeredAtMs: number[] }> {
  let done = false;
  void until.finally(() => (done = true));
  const statuses: number[] = [];
  const answeredAtMs: number[] = [];
  while (!done) {
    const response = await fetch(`${gateway.url}/api/v1/files/list`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    statuses.push(response.status);
    answeredAtMs.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { statuses, answeredAtMs };
}

/**
 * `count` slow clients at once, each cut off with a 408 problem within `deadlineMs` (+ slack),
 * while normal traffic is served, some of it while every slow client still held its connection.
 */
async function expectCutOffWhileOthersAreServed(count: number, head: string, drip: string, deadlineMs: number): Promise<void> {
  const started = performance.now();
  const clients = Array.from({ length: count }, () => slowClient(head, drip));
  const all = Promise.all(clients.map((client) => client.closed));
  const [closedAtMs, normal] = await Promise.all([all, normalTrafficDuring(all, started)]);
  for (const [i, ms] of closedAtMs.entries()) {
    expectProblem(clients[i]!.received(), 408, 'REQUEST_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(ms).toBeLessThan(deadlineMs + SLACK_MS);
  }
  expect(normal.statuses.length).toBeGreaterThan(0);
  expect(normal.statuses.every((status) => status === 200)).toBe(true);
  expect(normal.answeredAtMs[0]).toBeLessThan(Math.min(...closedAtMs));
}

/** The raw answer is one problem+json response with this status and code, and asks to close. */
function expectProblem(raw: string, status: number, code: string): void {
  const [head, body] = raw.split('\r\n\r\n') as [string, string];
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
  expect(head).toMatch(/\r\nconnection: close/i);
  expect(JSON.parse(body)).toMatchObject({ status, code });
}

async function breaker(): Promise<string> {
  const response = await fetch(`${gateway.url}/gateway/upstreams`, { headers: { authorization: `Bearer ${admin}` } });
  const { upstreams } = (await response.json()) as { upstreams: { name: string; breaker: string }[] };
  return upstreams.find((upstream) => upstream.name === 'files')!.breaker;
}

describe('slow clients', () => {
  it('answers 408 and closes connections whose headers trickle in, within the headers timeout, while others are served', async () => {
    await expectCutOffWhileOthersAreServed(10, 'GET /api/v1/files/list HTTP/1.1\r\nHost: gateway\r\n', 'X-Slow: 1\r\n', HEADERS_TIMEOUT_MS);
  });

  it('also cuts off a client that connects and sends nothing', async () => {
    const silent = slowClient('', '', 1_000);
    expect(await silent.closed).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('answers 408 problem+json and closes an upload whose body trickles in, at the route deadline, without blaming the upstream', async () => {
    const head = [
      'POST /api/v1/files/upload HTTP/1.1',
      'Host: gateway',
      `Authorization: Bearer ${token}`,
      'Content-Type: application/octet-stream',
      'Content-Length: 1000000',
      '',
      '',
    ].join('\r\n');
    const before = files.hits('/api/v1/files/upload').length;
    await expectCutOffWhileOthersAreServed(4, `${head}${'x'.repeat(1024)}`, 'x'.repeat(10), ROUTE_TIMEOUT_MS);
    // The uploads did reach the upstream (streamed), and its breaker did not count them against it.
    expect(files.hits('/api/v1/files/upload').length - before).toBe(4);
    expect(await breaker()).toBe('closed');
  });

  it('cuts off a trickling body on a route the gateway answers itself, within the request timeout', async () => {
    const body = '{"a":"' + 'x'.repeat(64);
    const client = slowClient(
      ['POST /gateway/upstreams HTTP/1.1', 'Host: gateway', `Authorization: Bearer ${admin}`, 'Content-Type: application/json', 'Content-Length: 100000', '', body].join('\r\n'),
      'x',
    );
    const ms = await client.closed;
    expectProblem(client.received(), 408, 'REQUEST_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    await waitFor(async () => (await fetch(`${gateway.url}/health/liveness`)).ok);
  });
});
