import { createServer } from 'node:http';

// The peer for the pipeline benchmark: the same JSON, no framework.
const body = JSON.stringify({ status: 'ok', service: 'bare' });
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
