/**
 * The floor of any Node.js proxy on this machine: node:http parses the client's request, an undici
 * pool sends it upstream, the answer is written back. No framework, auth, limits, metrics,
 * logging or resilience, and no header hygiene beyond dropping hop-by-hop fields. What it costs
 * per request is the part of the gateway's CPU that no gateway code can remove.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.env.PORT ?? 0);
const pool = new Pool(process.env.UPSTREAM_URL!, { connections: 64 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host']);

const server = createServer((request, response) => {
  const headers: Record<string, string | string[]> = {};
  for (const name in request.headers) if (!HOP_BY_HOP.has(name)) headers[name] = request.headers[name]!;
  headers['x-forwarded-for'] = request.socket.remoteAddress ?? '';
  const chunks: Buffer[] = [];
  let statusCode = 502;
  let responseHeaders: Record<string, string | string[] | undefined> = {};
  pool.dispatch(
    { method: request.method as 'GET', path: request.url!, headers },
    {
      onRequestStart: () => undefined,
      onResponseStart: (_controller, status, upstreamHeaders) => {
        statusCode = status;
        responseHeaders = upstreamHeaders;
      },
      onResponseData: (_controller, chunk) => void chunks.push(chunk),
      onResponseEnd: () => {
        const out: Record<string, string | string[]> = {};
        for (const name in responseHeaders) if (!HOP_BY_HOP.has(name)) out[name] = responseHeaders[name]!;
        response.writeHead(statusCode, out).end(Buffer.concat(chunks));
      },
      onResponseError: () => {
        if (!response.headersSent) response.writeHead(502).end();
        else response.destroy();
      },
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
