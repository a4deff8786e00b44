import { testDatabaseUri } from '@dentalos/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The services' concurrency rules (plan limits, schedule versions, refresh rotation, outbox
// relay) rest on MongoDB's single-document atomicity; the local server must provide it too.
let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(testDatabaseUri('atomic')).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

describe('single-document atomicity of the database server', () => {
  it('lets exactly as many conditional increments win as the condition allows', async () => {
    const slots = connection.collection<{ _id: string; used: number }>('slots');
    await slots.insertOne({ _id: 'org', used: 0 });
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () => slots.updateOne({ _id: 'org', used: { $lt: 5 } }, { $inc: { used: 1 } })),
    );
    expect(attempts.filter((result) => result.modifiedCount === 1)).toHaveLength(5);
    expect((await slots.findOne({ _id: 'org' }))?.used).toBe(5);
  });

  it('keeps every concurrent push to one document', async () => {
    const lists = connection.collection<{ _id: string; items: number[] }>('lists');
    await lists.insertOne({ _id: 'list', items: [] });
    await Promise.all(Array.from({ length: 30 }, (_, item) => lists.updateOne({ _id: 'list' }, { $push: { items: item } })));
    expect((await lists.findOne({ _id: 'list' }))?.items.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, item) => item));
  });

  it('lets exactly one version-conditional findOneAndUpdate win', async () => {
    const documents = connection.collection<{ _id: string; version: number; owner?: number }>('versions');
    await documents.insertOne({ _id: 'doc', version: 1 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, writer) =>
        documents.findOneAndUpdate({ _id: 'doc', version: 1 }, { $set: { owner: writer }, $inc: { version: 1 } }, { returnDocument: 'after' }),
      ),
    );
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect((await documents.findOne({ _id: 'doc' }))?.version).toBe(2);
  });

  it('runs an update command with more statements than the server has connections, and updates keep flowing after it', async () => {
    const counters = connection.collection<{ _id: number; hits: number }>('counters');
    const ids = Array.from({ length: 150 }, (_, id) => id);
    await counters.insertMany(ids.map((id) => ({ _id: id, hits: 0 })));
    const bulk = await counters.bulkWrite(ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $inc: { hits: 1 } } } })));
    expect(bulk.modifiedCount).toBe(150);
    const after = await counters.updateOne({ _id: 0 }, { $inc: { hits: 1 } });
    expect(after.modifiedCount).toBe(1);
    expect((await counters.findOne({ _id: 0 }))?.hits).toBe(2);
  });
});
