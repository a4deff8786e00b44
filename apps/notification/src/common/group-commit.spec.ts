import { describe, expect, it } from 'vitest';
import { GroupCommit, insertResults } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes items submitted together as one batch and the ones that arrive meanwhile as the next', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const commit = new GroupCommit<number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
      },
      { maxInFlight: 1 },
    );
    const first = [1, 2, 3].map((item) => commit.submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((item) => commit.submit(item));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1, 2, 3]]);
    release();
    expect(await Promise.all([...first, ...second])).toEqual([true, true, true, true, true]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('gives each item its own result and fails every item of a write that failed as a whole', async () => {
    const commit = new GroupCommit<string>(async (items) => (items.includes('boom') ? Promise.reject(new Error('down')) : items.map((item) => item !== 'dup')));
    expect(await Promise.all([commit.submit('a'), commit.submit('dup')])).toEqual([true, false]);
    const failed = [commit.submit('b'), commit.submit('boom')];
    for (const result of failed) await expect(result).rejects.toThrow('down');
  });

  it('splits at the largest batch', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number>(async (items) => void sizes.push(items.length), { maxBatch: 2, maxInFlight: 4 });
    await Promise.all([1, 2, 3, 4, 5].map((item) => commit.submit(item)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});

describe('insertResults', () => {
  it('maps an unordered bulk insert failure to its documents', () => {
    const error = Object.assign(new Error('bulk'), { code: 11000, writeErrors: [{ index: 1, code: 11000 }, { index: 2, code: 121, errmsg: 'invalid' }] });
    const results = insertResults(error, 4);
    expect(results.slice(0, 2)).toEqual([true, false]);
    expect(results[2]).toBeInstanceOf(Error);
    expect(results[3]).toBe(true);
    expect(() => insertResults(new Error('network'), 2)).toThrow('network');
  });
});
