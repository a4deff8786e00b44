import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_GRACE_MS, IdleConnectionCloser } from '../src/lifecycle/idle-connections.js';

const REQUEST = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: Server;

async function startServer(): Promise<{ closer: IdleConnectionCloser; port: number }> {
  server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  });
  const closer = new IdleConnectionCloser(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { closer, port: (server.address() as { port: number }).port };
}

async function openSocket(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<unknown> }> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk) => (data += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  await once(socket, 'connect');
  // One request first: the socket is then an idle kept-alive socket, the kind Node closes at close().
  socket.write(REQUEST);
  await once(socket, 'data');
  data = '';
  return { socket, received: () => data, closed };
}

afterEach(() => {
  server.closeAllConnections();
  server.close();
});

describe('closing a draining server', () => {
  it('answers a request sent on an idle socket just after the listener closed, instead of resetting it', async () => {
    const { closer, port } = await startServer();
    const { socket, received, closed } = await openSocket(port);
    const stop = closer.start();
    const serverClosed = once(server, 'close');
    server.close();
    await sleep(IDLE_GRACE_MS / 5);
    socket.write(REQUEST);
    await closed;
    await serverClosed;
    stop();
    expect(received()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(received()).toContain('{"ok":true}');
  });

  it('closes a socket that stays idle for the grace period, so the server finishes closing', async () => {
    const { closer, port } = await startServer();
    const { received, closed } = await openSocket(port);
    const stop = closer.start();
    const started = Date.now();
    server.close();
    await closed;
    stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_GRACE_MS - 10);
    expect(received()).toBe('');
  });

  it('without it, Node resets the same idle socket at close', async () => {
    await startServer();
    const port = (server.address() as { port: number }).port;
    const { socket, received, closed } = await openSocket(port);
    server.close();
    await sleep(IDLE_GRACE_MS / 5);
    socket.write(REQUEST);
    await closed;
    expect(received()).toBe('');
  });
});
