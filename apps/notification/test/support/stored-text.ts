import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';

export type StoredDocument = { _id: string } & Record<string, unknown>;

/** A connection of the test's own, to read what the service stored exactly as stored. */
export function openDatabase(uri: string): Promise<Connection> {
  return mongoose.createConnection(uri).asPromise();
}

export const collection = (db: Connection, name: string) => db.collection<StoredDocument>(name);

async function textOf(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}

/** Every Redis key matching one of `patterns` whose value contains `needle`, whatever its type. */
export async function redisKeysContaining(needle: string, patterns: string[]): Promise<string[]> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const found: string[] = [];
    for (const pattern of patterns) {
      for await (const keys of redis.scanStream({ match: pattern, count: 500 })) {
        for (const key of keys as string[]) if ((await textOf(redis, key)).includes(needle)) found.push(key);
      }
    }
    return found;
  } finally {
    await redis.quit();
  }
}

/** The collections of the database in which some document contains `needle` anywhere. */
export async function collectionsContaining(db: Connection, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await db.db!.listCollections().toArray()) {
    const documents = await db.db!.collection(name).find().toArray();
    if (JSON.stringify(documents).includes(needle)) found.push(name);
  }
  return found;
}
