import type { FastifyReply, FastifyRequest } from 'fastify';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../logging/redaction.js';
import { AppError } from './app-error.js';
import { sendProblem } from './problem.filter.js';
import { registerErrorTranslator, toProblem } from './problem.js';

class LibraryRefusal extends Error {}

const context = { instance: '/x', requestId: 'r-1' };

describe('toProblem', () => {
  it('renders a translated library error instead of an unknown 500', () => {
    expect(toProblem(new LibraryRefusal('nope'), context).problem.status).toBe(500);
    registerErrorTranslator((error) => (error instanceof LibraryRefusal ? new AppError(503, 'REFUSED', 'try later', { headers: { 'retry-after': '2' } }) : error));
    const rendered = toProblem(new LibraryRefusal('nope'), context);
    expect(rendered.problem).toMatchObject({ status: 503, code: 'REFUSED', requestId: 'r-1', type: '/problems/refused' });
    expect(rendered.headers).toEqual({ 'retry-after': '2' });
  });

  it('maps an unreachable database to 503 and a duplicate key to 409', () => {
    const unreachable = Object.assign(new Error('x'), { name: 'MongoServerSelectionError' });
    expect(toProblem(unreachable, context).problem).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(toProblem(Object.assign(new Error('E11000'), { code: 11000 }), context).problem).toMatchObject({ status: 409, code: 'DUPLICATE' });
  });

  it('never leaks the message of an unknown error', () => {
    const { problem } = toProblem(new Error('password=hunter2 at db'), context);
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});

/** The application logger as Nest's Logger reaches it through nestjs-pino: fields first, then the message. */
function captureApplicationLog() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = pino({ formatters: { log: redactSecrets } }, sink);
  return { logger: { error: (fields: object, message: string) => logger.error(fields, message) }, text: () => lines.join('') };
}

function replyStub(): FastifyReply {
  const reply = { sent: false, status: () => reply, headers: () => reply, type: () => reply, send: () => reply };
  return reply as unknown as FastifyReply;
}

describe('sendProblem', () => {
  it('logs a 5xx without the secret query parameters of its URL', () => {
    const { logger, text } = captureApplicationLog();
    const request = { method: 'GET', url: '/v1/x?token=SECRET3&access_token=SECRET4&page=2', id: 'r-1' } as unknown as FastifyRequest;
    sendProblem(new Error('boom'), request, replyStub(), logger);
    const line = JSON.parse(text());
    expect(line.msg).toMatch(/^GET \/v1\/x\?.*page=2.* failed$/);
    expect(text()).not.toContain('SECRET3');
    expect(text()).not.toContain('SECRET4');
  });
});
