import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
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
