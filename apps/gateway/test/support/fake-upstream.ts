import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bytes: number;
}

export type Behaviour = (request: IncomingMessage, response: ServerResponse, seen: SeenRequest) => boolean | void;

/**
 * A real HTTP upstream that records what reached it. By default it drains the body and answers
 * 200 with what it saw; `behave` can take over any request (return true when it answered).
 */
export class FakeUpstream {
  readonly seen: SeenRequest[] = [];
  behave: Behaviour | undefined;
  private server!: Server;
  url = '';

  constructor(readonly name: string) {}

  async start(port = 0): Promise<this> {
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  hits(pathPrefix = ''): SeenRequest[] {
    return this.seen.filter((request) => request.url.startsWith(pathPrefix));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const seen: SeenRequest = { method: request.method!, url: request.url!, headers: request.headers, bytes: 0 };
    this.seen.push(seen);
    if (request.url === '/api-docs-json') return this.spec(response);
    if (this.behave?.(request, response, seen)) return;
    request.on('data', (chunk: Buffer) => (seen.bytes += chunk.length));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=60', 'x-upstream': this.name });
      response.end(JSON.stringify({ service: this.name, method: seen.method, url: seen.url, headers: seen.headers, bytes: seen.bytes }));
    });
  }

  private spec(response: ServerResponse): void {
    const operation = { get: { summary: `${this.name} operation`, responses: { 200: { description: 'ok' } } } };
    const document = {
      openapi: '3.0.0',
      info: { title: `DentalOS ${this.name}`, version: '1.0.0' },
      paths: { [`/api/v1/${this.name}-things`]: operation, '/api/v1/unrouted': operation },
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  }
}
