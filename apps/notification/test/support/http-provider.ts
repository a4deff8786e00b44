import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ProviderReply {
  status: number;
  body: unknown;
  /** Hold the answer this long (to provoke client timeouts). */
  delayMs?: number;
}

export interface HttpProvider {
  url: string;
  requests: RecordedRequest[];
  /** Replies used in order before falling back to `success(request)`. */
  script(...replies: ProviderReply[]): void;
  close(): Promise<void>;
}

/** A real HTTP server standing in for a provider API (Twilio, FCM), recording every request. */
export async function startHttpProvider(success: (request: RecordedRequest, index: number) => ProviderReply): Promise<HttpProvider> {
  const requests: RecordedRequest[] = [];
  const scripted: ProviderReply[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const reply = scripted.shift() ?? success(request, requests.length);
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Twilio Messages API success: 201 with a message sid. */
export const twilioCreated = (_request: RecordedRequest, index: number): ProviderReply => ({
  status: 201,
  body: { sid: `SM${String(index).padStart(32, '0')}`, status: 'queued' },
});

/** FCM HTTP v1 success: 200 with the message name. */
export const fcmSent = (_request: RecordedRequest, index: number): ProviderReply => ({
  status: 200,
  body: { name: `projects/dentalos-test/messages/${index}` },
});
