import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { EnterpriseEnv } from '../config/enterprise.env.js';

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

/**
 * Read-through cache in Redis for the hot reads of every request (organization head, one clinic).
 * Writers store the new document with its version stamp right after each change, so the next
 * read on any replica sees it. Redis errors degrade to database reads; entries also expire after
 * READ_CACHE_TTL_MS, which bounds staleness if Redis was unreachable for a writer only.
 */
@Injectable()
export class ReadCache {
  constructor(
    private readonly redis: Redis,
    private readonly env: EnterpriseEnv,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    if (this.env.READ_CACHE_TTL_MS === 0) return undefined;
    try {
      const raw = await this.redis.get(`cache:${key}`);
      return raw ? (JSON.parse(raw) as { d: T }).d : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, stamp: number, data: unknown): Promise<void> {
    if (this.env.READ_CACHE_TTL_MS === 0) return;
    await this.redis.eval(PUT_IF_NEWER, 1, `cache:${key}`, stamp, JSON.stringify({ s: stamp, d: data }), this.env.READ_CACHE_TTL_MS).catch(() => undefined);
  }
}
