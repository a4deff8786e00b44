import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2ctdGVzdCJ9.c2lnbmF0dXJlLW5vdC1mb3ItbG9ncw';

interface LogLine {
  level: number;
  msg: string;
  service: string;
  requestId?: string;
  method?: string;
  url?: string;
  statusCode?: number;
  responseTime?: number;
}

let child: ChildProcess;
let output = '';
let url = '';

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const lines = (): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const requestLines = (requestId: string) => lines().filter((line) => line.requestId === requestId && line.msg === 'request completed');

async function logged(requestId: string): Promise<LogLine> {
  for (let attempt = 0; attempt < 100 && requestLines(requestId).length === 0; attempt++) await new Promise((r) => setTimeout(r, 50));
  const found = requestLines(requestId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', resolve(import.meta.dirname, 'fixtures/fixture-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.base.json'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error(`fixture exited:\n${output}`);
    }),
  ]);
}, 60_000);
afterAll(async () => {
  child.kill('SIGTERM');
  await once(child, 'exit');
});

describe('request log', () => {
  it('writes one JSON line per request with its id, route, status and time, and no credentials', async () => {
    await fetch(`${url}/api/v1/things/7?verbose=1&Token=${TOKEN}`, { headers: { 'x-request-id': 'log-ok-12345', authorization: `Bearer ${TOKEN}` } });
    const line = await logged('log-ok-12345');
    expect(line).toMatchObject({ level: 30, service: 'fixture', method: 'GET', url: '/api/v1/things/7?verbose=1&Token=%5Bredacted%5D', statusCode: 200 });
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
    expect(output).not.toContain(TOKEN);
  });

  it('logs client errors as warnings and server errors as errors, with the request id on the error log too', async () => {
    await fetch(`${url}/api/v1/things`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-request-id': 'log-400-12345' } });
    await fetch(`${url}/api/v1/things/boom`, { headers: { 'x-request-id': 'log-500-12345' } });
    expect((await logged('log-400-12345')).level).toBe(40);
    expect((await logged('log-500-12345')).level).toBe(50);
    expect(lines().filter((line) => line.requestId === 'log-500-12345' && line.msg !== 'request completed')).toEqual([
      expect.objectContaining({ level: 50, msg: expect.stringContaining('GET /api/v1/things/boom failed') }),
    ]);
  });

  it('logs a request its client abandoned as a warning, once', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.write('GET /api/v1/things/slow HTTP/1.1\r\nHost: fixture\r\nx-request-id: log-abort-12345\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    for (let attempt = 0; attempt < 100 && !output.includes('log-abort-12345'); attempt++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the handler's end: no completion line follows
    expect(lines().filter((line) => line.requestId === 'log-abort-12345')).toEqual([
      expect.objectContaining({ level: 40, msg: 'request aborted', method: 'GET', url: '/api/v1/things/slow' }),
    ]);
  });

  it('leaves probes and scrapes out', async () => {
    await fetch(`${url}/health/liveness`, { headers: { 'x-request-id': 'log-probe-12345' } });
    await fetch(`${url}/metrics`, { headers: { 'x-request-id': 'log-scrape-12345' } });
    await fetch(`${url}/api/v1/things/8`, { headers: { 'x-request-id': 'log-after-12345' } });
    await logged('log-after-12345');
    expect(lines().filter((line) => line.requestId === 'log-probe-12345' || line.requestId === 'log-scrape-12345')).toEqual([]);
  });
});
