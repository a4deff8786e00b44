import { privateRedis, testDatabaseUri, uniqueName, waitFor } from '@dentalos/testing';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, EventPublisher, OUTBOX_SCHEMA_FIELDS, OutboxRelay, outboxOnInsert, outboxOnUpdate } from '../src/index.js';

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(testDatabaseUri('outbox')).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

function model() {
  const schema = new mongoose.Schema({ _id: String, name: String, ...OUTBOX_SCHEMA_FIELDS });
  return connection.model(uniqueName('agg'), schema);
}

const event = (type: string) => createEvent({ source: 'test', type, data: { at: Date.now() } });

async function streamEvents(redis: Redis, stream: string) {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]!) as { id: string; type: string });
}

describe('OutboxRelay', () => {
  it('publishes events written with the state change and empties the outbox', async () => {
    const Aggregate = model();
    const redis = new Redis('redis://127.0.0.1:6379');
    const stream = uniqueName('stream');
    const created = event('thing.created');
    const renamed = event('thing.renamed');
    await Aggregate.create({ _id: 'a', name: 'one', ...outboxOnInsert(created) });
    await Aggregate.updateOne({ _id: 'a' }, { ...outboxOnUpdate(renamed), $set: { name: 'two', ...outboxOnUpdate(renamed).$set } });
    const relay = new OutboxRelay({ stream, publisher: new EventPublisher(redis), collections: () => [Aggregate.collection as never] });
    expect(await relay.drain()).toBe(2);
    expect((await streamEvents(redis, stream)).map((e) => e.id)).toEqual([created.id, renamed.id]);
    const stored = await Aggregate.findById('a').select('+outbox +outboxAt').lean();
    expect(stored).toMatchObject({ name: 'two', outbox: [] });
    expect(stored?.outboxAt).toBeUndefined();
    expect(await relay.drain()).toBe(0);
    await redis.quit();
  });

  it('drains a hinted document at once and leaves the rest to the next pass over every collection', async () => {
    const Aggregate = model();
    const redis = new Redis('redis://127.0.0.1:6379');
    const stream = uniqueName('stream');
    const relay = new OutboxRelay({ stream, publisher: new EventPublisher(redis), collections: () => [Aggregate.collection as never], intervalMs: 3_000 });
    relay.start();
    await waitFor(() => relay['lastFullPass'] > 0, { what: 'the first pass over every collection' });
    const leftOver = event('thing.left-over');
    const hinted = event('thing.hinted');
    await Aggregate.create({ _id: 'left', ...outboxOnInsert(leftOver) });
    await Aggregate.create({ _id: 'hinted', ...outboxOnInsert(hinted) });
    relay.kick({ collection: Aggregate.collection as never, id: 'hinted' });
    await waitFor(async () => (await streamEvents(redis, stream)).length > 0, { what: 'the hinted event' });
    expect((await streamEvents(redis, stream)).map((e) => e.id)).toEqual([hinted.id]);
    expect(await Aggregate.countDocuments({ outboxAt: { $exists: true } })).toBe(1);
    await waitFor(async () => (await streamEvents(redis, stream)).length === 2, { what: 'the periodic pass', timeoutMs: 10_000 });
    expect((await streamEvents(redis, stream)).map((e) => e.id)).toEqual([hinted.id, leftOver.id]);
    await relay.stop();
    await redis.quit();
  });

  it('keeps events while Redis is down and publishes them all once it returns', async () => {
    const Aggregate = model();
    const server = await privateRedis();
    await server.start();
    const redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    const stream = uniqueName('stream');
    const relay = new OutboxRelay({ stream, publisher: new EventPublisher(redis), collections: () => [Aggregate.collection as never] });
    await server.stop();
    const events = Array.from({ length: 5 }, (_, index) => event(`thing.${index}`));
    for (const [index, e] of events.entries()) await Aggregate.create({ _id: `d${index}`, ...outboxOnInsert(e) });
    await expect(relay.drain()).rejects.toThrow();
    expect(await Aggregate.countDocuments({ outboxAt: { $exists: true } })).toBe(5);
    await server.start();
    await waitFor(() => redis.status === 'ready', { what: 'redis reconnect' });
    expect(await relay.drain()).toBe(5);
    expect((await streamEvents(redis, stream)).map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    redis.disconnect();
    await server.dispose();
  });
});
