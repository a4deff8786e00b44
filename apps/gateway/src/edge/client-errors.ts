import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, PROBLEM_CONTENT_TYPE, toProblem } from '@dentalos/core';

/** Node's client errors: a request that never arrived whole, or did not parse. */
function asAppError(error: NodeJS.ErrnoException): AppError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.');
  if (error.code === 'HPE_HEADER_OVERFLOW') return new AppError(431, 'HEADERS_TOO_LARGE', 'The request headers are too large.');
  return new AppError(400, 'BAD_REQUEST', 'The request is not valid HTTP.');
}

/**
 * Answers what Node's HTTP server rejects before any route sees it (a slow client past its header
 * or request deadline, an oversized header block, malformed HTTP) with a problem document like
 * every other gateway error, then closes the connection. Replaces Fastify's default handler,
 * which answers the same statuses in its own JSON shape.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already under way cannot be replaced, only cut.
    const response = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (socket.writable && !response?.headersSent) {
      const { problem } = toProblem(asAppError(error), { instance: '', requestId: randomUUID() });
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${problem.status} ${problem.title}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  });
}
