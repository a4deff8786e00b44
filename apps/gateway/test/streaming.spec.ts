import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type TestApp, type TestTokenIssuer, startTestTokenIssuer, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayEnv } from '../src/config/gateway.env.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

const MIB = 1_048_576;

let issuer: TestTokenIssuer;
let files: FakeUpstream;
let gateway: TestApp<GatewayEnv>;
let small: TestApp<GatewayEnv>;
let token: string;
let releaseResponse = false;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  files = await new FakeUpstream('files').start();
  files.behave = (request, response, seen) => {
    if (request.url === '/api/v1/files/upload') {
      const hash = createHash('sha256');
      request.on('data', (chunk: Buffer) => {
        seen.bytes += chunk.length;
        hash.update(chunk);
      });
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: seen.bytes, sha256: hash.digest('hex') })));
      return true;
    }
    if (request.url === '/api/v1/files/refuse') {
      // Answers at once, without reading the upload (as a service refusing it would).
      response.writeHead(403, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'UPLOAD_FORBIDDEN' }));
      return true;
    }
    if (request.url === '/api/v1/files/download') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write(Buffer.alloc(MIB, 1));
      // The rest is only sent once the client holds the first MiB: a buffering proxy would hang here.
      void waitFor(() => releaseResponse, { timeoutMs: 20_000 }).then(async () => {
        for (let i = 0; i < 19; i++) if (!response.write(Buffer.alloc(MIB, 2))) await new Promise((resolve) => response.once('drain', resolve));
        response.end();
      });
      return true;
    }
    return false;
  };
  [gateway, small] = await Promise.all([
    startGateway([files], issuer, { GATEWAY_PROXY_BODY_LIMIT_BYTES: String(64 * MIB) }),
    startGateway([files], issuer, { GATEWAY_PROXY_BODY_LIMIT_BYTES: String(MIB) }),
  ]);
  token = await issuer.sign({ sub: 'uploader' });
});
afterAll(async () => {
  await Promise.all([gateway?.close(), small?.close()]);
  await Promise.all([files?.close(), issuer?.close()]);
});

function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString()));
    response.on('error', reject);
  });
}

function upload(url: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(url);
  const request = httpRequest({
    hostname,
    port,
    method: 'POST',
    path: '/api/v1/files/upload',
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res) => readAll(res).then((body) => resolve({ status: res.statusCode!, body }), reject));
    request.on('error', reject);
  });
  return { request, response };
}

async function write(request: ReturnType<typeof httpRequest>, chunk: Buffer): Promise<void> {
  if (!request.write(chunk)) await new Promise((resolve) => request.once('drain', resolve));
}

describe('streaming', () => {
  it('streams a 50 MiB upload: the upstream receives bytes before the client has sent them all', async () => {
    const hash = createHash('sha256');
    const { request, response } = upload(gateway.url);
    const first = Buffer.alloc(MIB, 7);
    hash.update(first);
    await write(request, first);
    // Only 1 MiB of 50 has been sent: a buffering proxy would never let this wait succeed.
    await waitFor(() => files.hits('/api/v1/files/upload').at(-1)?.bytes, { what: 'upstream to see the first bytes' });
    for (let i = 1; i < 50; i++) {
      const chunk = Buffer.alloc(MIB, i % 251);
      hash.update(chunk);
      await write(request, chunk);
    }
    request.end();
    const { status, body } = await response;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ bytes: 50 * MIB, sha256: hash.digest('hex') });
  });

  it('accepts an upload sent with Expect: 100-continue, as curl does for large bodies', async () => {
    const { request, response } = upload(gateway.url, { expect: '100-continue', 'content-length': String(2 * MIB) });
    request.on('continue', () => request.end(Buffer.alloc(2 * MIB, 3)));
    const { status, body } = await response;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ bytes: 2 * MIB });
  });

  it('streams a large response: the client gets the first bytes before the upstream has sent the rest', async () => {
    const response = await fetch(`${gateway.url}/api/v1/files/download`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    while (received < MIB) received += (await reader.read()).value!.length;
    releaseResponse = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    expect(received).toBe(20 * MIB);
  });

  it("relays an upstream's early answer to an upload it did not read, then ends the connection", async () => {
    const response = await fetch(`${gateway.url}/api/v1/files/refuse`, {
      method: 'POST',
      body: Buffer.alloc(4 * MIB, 5),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('connection')).toBe('close'); // the rest of the upload is never read
    expect(await response.json()).toEqual({ code: 'UPLOAD_FORBIDDEN' });
  });

  it('refuses a body whose Content-Length is over the limit with 413 before calling the upstream', async () => {
    const before = files.hits('/api/v1/files/upload').length;
    const response = await fetch(`${small.url}/api/v1/files/upload`, {
      method: 'POST',
      body: Buffer.alloc(2 * MIB),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', limitBytes: MIB });
    expect(files.hits('/api/v1/files/upload').length).toBe(before);
  });

  it('cuts a chunked body off at the limit with 413, counting bytes as they stream', async () => {
    const { request, response } = upload(small.url, { 'transfer-encoding': 'chunked' });
    request.on('error', () => undefined); // the gateway may close the socket while we still write
    for (let i = 0; i < 4 && !request.destroyed; i++) await Promise.race([write(request, Buffer.alloc(MIB / 2)), response.catch(() => undefined)]);
    request.end();
    const { status, body } = await response;
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
