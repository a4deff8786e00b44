import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { EnterpriseEnv } from '../config/enterprise.env.js';
import { InvalidationBus } from './invalidation-bus.js';

// Writes only if the stored stamp is not newer, so a reader refilling from an old database read
// can never overwrite what a writer stored after its change.
const PUT_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local stamp = cjson.decode(current).s
  if tonumber(stamp) > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** Longest an in-process copy is used: bounds staleness on a replica that missed an invalidation. */
const LOCAL_TTL_MS = 2_000;
/** In-process copies kept per replica; the oldest is dropped first. */
const LOCAL_SIZE = 20_000;

/** A value, or a promise of it when it had to be fetched: in-process hits settle without a promise. */
export type MaybePromise<T> = T | Promise<T>;

interface LocalEntry {
  value: unknown;
  expiresAt: number;
  epoch: number;
}

/**
 * Read-through cache for the reads of every request (organization head, one clinic): in-process,
 * then Redis, then the database.
 *
 * Writers call `written` after each change: the new state goes to Redis and every replica drops
 * its in-process copy before the writer answers (InvalidationBus), so the next request anywhere
 * sees the change. In-process copies are used only while the replica's invalidation subscription
 * is up and for at most LOCAL_TTL_MS; Redis entries expire after READ_CACHE_TTL_MS. Redis errors
 * degrade to database reads. Cached values are shared between requests: never mutate them.
 */
@Injectable()
export class ReadCache {
  private readonly local = new Map<string, LocalEntry>();

  constructor(
    private readonly redis: Redis,
    private readonly bus: InvalidationBus,
    private readonly env: EnterpriseEnv,
  ) {
    bus.onInvalidate((keys) => {
      for (const key of keys) this.local.delete(key);
    });
  }

  /** The cached value, else `load`'s (stored on the way back; null is not cached). */
  read<T extends object>(key: string, stampOf: (value: T) => number, load: () => Promise<T | null>): MaybePromise<T | null> {
    if (this.env.READ_CACHE_TTL_MS === 0) return load();
    const hit = this.local.get(key);
    if (hit && this.bus.live && hit.epoch === this.bus.epoch && hit.expiresAt > Date.now()) return hit.value as T;
    return this.fill(key, stampOf, load);
  }

  private async fill<T extends object>(key: string, stampOf: (value: T) => number, load: () => Promise<T | null>): Promise<T | null> {
    const { generation, epoch } = this.bus;
    let value: T | null = (await this.fromRedis<T>(key)) ?? null;
    if (!value) {
      value = await load();
      if (value) await this.toRedis(key, stampOf(value), value);
    }
    // A copy read before an invalidation arrived may be older than the write it announced.
    if (value && this.bus.live && this.bus.generation === generation && this.bus.epoch === epoch) this.remember(key, value);
    return value;
  }

  /** After a change: stores the new state in Redis and drops every replica's in-process copy. */
  async written(key: string, stamp: number, value: object): Promise<void> {
    if (this.env.READ_CACHE_TTL_MS === 0) return;
    this.local.delete(key);
    // One connection runs commands in the order sent: the new state is in Redis before any
    // replica hears of the change and refills, without waiting a round trip in between.
    await Promise.all([this.toRedis(key, stamp, value), this.bus.publish([key])]);
  }

  private remember(key: string, value: unknown): void {
    if (this.local.size >= LOCAL_SIZE) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.delete(key);
    this.local.set(key, { value, expiresAt: Date.now() + LOCAL_TTL_MS, epoch: this.bus.epoch });
  }

  private async fromRedis<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.get(`cache:${key}`);
      return raw ? (JSON.parse(raw) as { d: T }).d : undefined;
    } catch {
      return undefined;
    }
  }

  private async toRedis(key: string, stamp: number, data: unknown): Promise<void> {
    await this.redis.eval(PUT_IF_NEWER, 1, `cache:${key}`, stamp, JSON.stringify({ s: stamp, d: data }), this.env.READ_CACHE_TTL_MS).catch(() => undefined);
  }
}
