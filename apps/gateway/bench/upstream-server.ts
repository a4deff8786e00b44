/**
 * The upstream every benchmark target proxies to: a plain node:http server answering a small JSON
 * body, in a process of its own so it never competes with the proxy under test for an event loop.
 */
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 0);
const body = JSON.stringify({ id: '64b7f0c2e4b0a1b2c3d4e5f6', name: 'Dental clinic', active: true });
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
