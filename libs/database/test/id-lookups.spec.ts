import { testDatabaseUri } from '@dentalos/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Status writes (`{ _id, status }`), point reads and deletes by `_id` are on every service's hot
// path; on the local server they must use the `_id` index instead of reading the whole collection.
interface Delivery {
  _id: string;
  status: string;
}

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(testDatabaseUri('id-lookups')).asPromise();
  await connection.collection<Delivery>('deliveries').insertMany(
    Array.from({ length: 50 }, (_, n) => ({ _id: `d${n}`, status: n % 2 === 0 ? 'queued' : 'sent' })),
  );
});
afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

async function sqlitePlan(filter: object): Promise<string> {
  const explained = await connection.db!.command({ explain: { find: 'deliveries', filter }, verbosity: 'queryPlanner' });
  return JSON.stringify(explained.queryPlanner);
}

describe('lookups by _id on the database server', () => {
  it('searches the _id index for a filter that is _id alone or _id with other conditions', async () => {
    expect(await sqlitePlan({ _id: 'd7' })).toMatch(/SEARCH .* USING INDEX/);
    expect(await sqlitePlan({ _id: 'd7', status: 'sent' })).toMatch(/SEARCH .* USING INDEX/);
    expect(await sqlitePlan({ status: 'sent' })).not.toMatch(/USING INDEX/);
  });

  it('still applies the rest of the filter when it narrows by _id', async () => {
    const deliveries = connection.collection<Delivery>('deliveries');
    expect(await deliveries.findOne({ _id: 'd4', status: 'sent' })).toBeNull();
    expect(await deliveries.findOne({ _id: 'd4', status: 'queued' })).toEqual({ _id: 'd4', status: 'queued' });
    expect(await deliveries.countDocuments({ _id: 'd5', status: { $in: ['queued', 'sending'] } })).toBe(0);

    const stale = await deliveries.updateOne({ _id: 'd6', status: 'sent' }, { $set: { status: 'failed' } });
    expect(stale.matchedCount).toBe(0);
    const current = await deliveries.updateOne({ _id: 'd6', status: 'queued' }, { $set: { status: 'sent' } });
    expect(current.modifiedCount).toBe(1);
    expect(await deliveries.findOneAndUpdate({ _id: 'd8', status: 'sent' }, { $set: { status: 'x' } })).toBeNull();
    expect((await deliveries.deleteOne({ _id: 'd9', status: 'queued' })).deletedCount).toBe(0);
    expect((await deliveries.deleteOne({ _id: 'd9', status: 'sent' })).deletedCount).toBe(1);

    expect(await deliveries.countDocuments({ status: 'sent' })).toBe(25);
    expect(await deliveries.findOne({ _id: 'd6' })).toEqual({ _id: 'd6', status: 'sent' });
  });
});
