/**
 * What the database under the service sustains on its own, without the service: simple writes and
 * point reads per second against FerretDB (`TEST_MONGODB_URL`, default the local one). Sets the
 * ceiling for the throughput benchmark: every accepted notification costs at least two inserts and
 * one status update.
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source \
 *     --import @swc-node/register/esm-register apps/notification/bench/ferretdb-ceiling.bench.ts
 * BENCH_OPS (operations per figure, default 2,000) and BENCH_CONCURRENCY (default 64) shape the run.
 *
 * FerretDB 1.24 on SQLite pushes a filter down to SQL only when it is exactly `{ _id: <string> }`
 * (any other filter, `{ _id, status }` included, reads and decodes every document of the
 * collection), its `_id` condition is not written the way its `_id` index is (so even that is a
 * scan of the table), and our build runs updates one at a time: every figure but the inserts falls
 * as the collection grows. Point `TEST_MONGODB_URL` at a FerretDB of your own to measure it alone.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { testDatabaseUri } from '@dentalos/testing';
import mongoose from 'mongoose';
import { NOTE, report, round } from './report.js';

const OPS = Number(process.env.BENCH_OPS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

const connection = await mongoose.createConnection(testDatabaseUri('ceiling'), { maxPoolSize: CONCURRENCY }).asPromise();
const db = connection.db!;
type Doc = { _id: string; status: string; n: number; body: string };
const docs = db.collection<Doc>('docs');
const body = 'x'.repeat(600); // about the size of a delivery document with its rendered content
await docs.insertOne({ _id: 'warm-up', status: 'queued', n: 0, body });

const failures: string[] = [];

/** Runs `op(i)` for i in [0, count) with `lanes` in flight; returns successful operations per second. */
async function rate(count: number, lanes: number, op: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  let failed = 0;
  let lastError = '';
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(lanes, count) }, async () => {
      while (next < count) {
        await op(next++).catch((error: Error) => {
          failed += 1;
          lastError = error.message;
        });
      }
    }),
  );
  if (failed > 0) failures.push(`${failed} of ${count} failed, last: ${lastError.slice(-120)}`);
  return round(((count - failed) / (performance.now() - started)) * 1000);
}

const ids = Array.from({ length: OPS }, () => randomUUID());
const figures: [string, number, string][] = [];
const measure = async (name: string, unit: string, value: Promise<number>) => {
  const before = failures.length;
  figures.push([name, await value, unit]);
  process.stdout.write(`  ${name}: ${figures.at(-1)![1]} ${unit}${failures.length > before ? ` (${failures.at(-1)})` : ''}\n`);
};
const BATCH = 100;
const BULK = 20;

await measure('insertOne, 1 in flight', 'writes/s', rate(OPS / 4, 1, (i) => docs.insertOne({ _id: `s${i}`, status: 'queued', n: i, body })));
await measure(`insertOne, ${CONCURRENCY} in flight`, 'writes/s', rate(OPS, CONCURRENCY, (i) => docs.insertOne({ _id: ids[i]!, status: 'queued', n: i, body })));
await measure(
  `insertMany of ${BATCH}, 4 in flight`,
  'documents/s',
  rate(OPS / BATCH, 4, (b) => docs.insertMany(Array.from({ length: BATCH }, (_, j) => ({ _id: `b${b}-${j}`, status: 'queued', n: j, body })), { ordered: false })).then(
    (batches) => round(batches * BATCH),
  ),
);
await measure(`findOne by _id, ${CONCURRENCY} in flight`, 'reads/s', rate(OPS, CONCURRENCY, (i) => docs.findOne({ _id: ids[i]! })));
await measure('updateOne by _id, 1 in flight', 'writes/s', rate(OPS / 4, 1, (i) => docs.updateOne({ _id: `s${i}` }, { $set: { status: 'sent' } })));
await measure(
  `updateOne by _id, ${CONCURRENCY} in flight`,
  'writes/s',
  rate(OPS, CONCURRENCY, (i) => docs.updateOne({ _id: ids[i]! }, { $set: { status: 'sending' }, $inc: { n: 1 } })),
);
await measure(
  `findOneAndUpdate by _id, ${CONCURRENCY} in flight`,
  'writes/s',
  rate(OPS, CONCURRENCY, (i) => docs.findOneAndUpdate({ _id: ids[i]! }, { $set: { status: 'sent' } }, { returnDocument: 'after' })),
);
// One update command with many statements holds a SQLite connection per statement until it ends
// (FerretDB 1.24), and a database has 100: bulk updates stay well below that, one at a time.
await measure(
  `bulkWrite of ${BULK} updateOne by _id, 1 in flight`,
  'documents/s',
  rate(OPS / BULK, 1, (b) =>
    docs.bulkWrite(
      Array.from({ length: BULK }, (_, j) => ({ updateOne: { filter: { _id: ids[b * BULK + j]! }, update: { $set: { status: 'delivered' } } } })),
      { ordered: false },
    ),
  ).then((batches) => round(batches * BULK)),
);
const size = await docs.countDocuments();
await measure(
  `updateOne by _id + status, ${size} documents, ${CONCURRENCY} in flight`,
  'writes/s',
  rate(Math.min(OPS, 200), CONCURRENCY, (i) => docs.updateOne({ _id: ids[i]!, status: 'delivered' }, { $set: { status: 'bounced' } })),
);
await measure(
  `deleteOne by _id, ${CONCURRENCY} in flight`,
  'writes/s',
  rate(OPS, CONCURRENCY, (i) => docs.deleteOne({ _id: ids[i]! })),
);

process.stdout.write(`${NOTE}\n${OPS} operations per figure, ${body.length}-byte documents\n`);
for (const [name, value, unit] of figures) report(`FerretDB ceiling: ${name}`, value, unit);
await connection.dropDatabase();
await connection.close();
process.exit(0);
