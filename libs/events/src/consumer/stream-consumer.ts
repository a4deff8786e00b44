import type { Redis } from 'ioredis';
import type { CloudEvent } from '../cloud-event.js';

/** One stream entry as a consumer sees it. `event` is undefined when the entry is not a valid event. */
export interface StreamMessage {
  stream: string;
  entryId: string;
  fields: Record<string, string>;
  event?: CloudEvent;
  /** How many times the group has handed this entry out, this time included. */
  deliveries: number;
}

export interface StreamConsumerOptions {
  /**
   * A connection of the consumer's own: XREADGROUP BLOCK holds it, so it must not be the shared
   * fail-fast client (its command timeout would cut every block short).
   */
  redis: Redis;
  streams: string[];
  group: string;
  /** Stable per replica (e.g. the pod name), so a restarted replica finishes its own pending entries first. */
  consumer: string;
  handle: (message: StreamMessage) => Promise<void>;
  /** Called once an entry failed `maxDeliveries` times (or is not an event); the entry is then acknowledged. */
  onPoison: (message: StreamMessage, error: unknown) => Promise<void>;
  onError?: (error: unknown) => void;
  /** Where a newly created group starts: '0' (everything already in the stream) or '$' (new entries only). */
  startId?: string;
  batchSize?: number;
  blockMs?: number;
  /** Entries pending longer than this with another (crashed) consumer are claimed. */
  claimIdleMs?: number;
  maxDeliveries?: number;
  /** Entries of a batch handled at the same time (default 10). */
  concurrency?: number;
  /**
   * A handler still running after this long counts as failed (default 30 s): the entry stays
   * pending and is retried, so one hung call cannot stall the whole group.
   */
  handleTimeoutMs?: number;
}

type RawEntry = [id: string, fields: string[]];
type ReadReply = [stream: string, entries: RawEntry[]][] | null;

export class PoisonMessageError extends Error {}

/**
 * A Redis Streams consumer-group loop: creates the groups (MKSTREAM, once), finishes its own
 * pending entries after a restart, claims entries a crashed consumer left behind (XAUTOCLAIM),
 * reads new ones, acknowledges what was handled and sends what keeps failing to `onPoison`, so
 * one bad entry never blocks the stream. Delivery is at least once: handlers must be idempotent.
 */
export class StreamConsumer {
  private stopped = true;
  private loop?: Promise<void>;
  private lastClaimAt = 0;
  private recovered = false;

  constructor(private readonly options: StreamConsumerOptions) {}

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  private get claimIdleMs(): number {
    return this.options.claimIdleMs ?? 30_000;
  }

  private get maxDeliveries(): number {
    return this.options.maxDeliveries ?? 5;
  }

  async ensureGroups(): Promise<void> {
    for (const stream of this.options.streams) {
      try {
        await this.options.redis.xgroup('CREATE', stream, this.options.group, this.options.startId ?? '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Entries not yet handed to the group plus entries handed out but not acknowledged, per stream. */
  async lag(): Promise<{ stream: string; lag: number; pending: number }[]> {
    const result: { stream: string; lag: number; pending: number }[] = [];
    for (const stream of this.options.streams) {
      const groups = (await this.options.redis.xinfo('GROUPS', stream)) as unknown[][];
      for (const raw of groups) {
        const info = toRecord(raw);
        if (info.name !== this.options.group) continue;
        result.push({ stream, lag: Number(info.lag ?? 0), pending: Number(info.pending ?? 0) });
      }
    }
    return result;
  }

  /** One pass: own pending entries, claimable entries, then new entries. Returns how many were handled. */
  async poll(block = false): Promise<number> {
    let handled = 0;
    if (!this.recovered) {
      // Later retries of our own failed entries go through XAUTOCLAIM like everyone else's.
      for (const stream of this.options.streams) handled += await this.drainOwnPending(stream);
      this.recovered = true;
    }
    if (Date.now() - this.lastClaimAt >= Math.min(this.claimIdleMs, 5_000)) {
      this.lastClaimAt = Date.now();
      for (const stream of this.options.streams) handled += await this.claim(stream);
    }
    handled += await this.readNew(block);
    return handled;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (failures > 0 || !this.recovered) await this.ensureGroups();
        await this.poll(true);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** failures, 5_000)));
      }
    }
  }

  private async readNew(block: boolean): Promise<number> {
    const { redis, group, consumer, streams } = this.options;
    const args: (string | number)[] = ['GROUP', group, consumer, 'COUNT', this.batchSize];
    if (block) args.push('BLOCK', this.options.blockMs ?? 1_000);
    args.push('STREAMS', ...streams, ...streams.map(() => '>'));
    const reply = (await redis.call('XREADGROUP', ...args)) as ReadReply;
    let handled = 0;
    for (const [stream, entries] of reply ?? []) {
      handled += await this.handleBatch(stream, entries, new Map());
    }
    return handled;
  }

  /** After a restart under the same name, entries read but not acknowledged before the crash. */
  private async drainOwnPending(stream: string): Promise<number> {
    const { redis, group, consumer } = this.options;
    const pending = (await redis.call('XPENDING', stream, group, '-', '+', this.batchSize, consumer)) as [string, string, number, number][];
    if (pending.length === 0) return 0;
    const ids = pending.map(([id]) => id);
    // XCLAIM to ourselves both returns the entries and counts the new delivery.
    const entries = (await redis.call('XCLAIM', stream, group, consumer, 0, ...ids)) as RawEntry[];
    return this.handleBatch(stream, entries, new Map(pending.map(([id, , , count]) => [id, Number(count) + 1])));
  }

  private async claim(stream: string): Promise<number> {
    const { redis, group, consumer } = this.options;
    const reply = (await redis.call('XAUTOCLAIM', stream, group, consumer, this.claimIdleMs, '0-0', 'COUNT', this.batchSize)) as [string, RawEntry[], string[]?];
    const entries = (reply[1] ?? []).filter((entry): entry is RawEntry => Array.isArray(entry) && entry[1] !== null);
    // Entries deleted from the stream while pending cannot be handled; XAUTOCLAIM already dropped them.
    if (entries.length === 0) return 0;
    const counts = await this.deliveryCounts(stream, entries);
    return this.handleBatch(stream, entries, counts);
  }

  private async deliveryCounts(stream: string, entries: RawEntry[]): Promise<Map<string, number>> {
    const { redis, group, consumer } = this.options;
    const first = entries[0]![0];
    const last = entries[entries.length - 1]![0];
    const pending = (await redis.call('XPENDING', stream, group, first, last, entries.length, consumer)) as [string, string, number, number][];
    return new Map(pending.map(([id, , , count]) => [id, Number(count)]));
  }

  private async handleBatch(stream: string, entries: RawEntry[], counts: Map<string, number>): Promise<number> {
    const results = await mapLimited(
      entries,
      this.options.concurrency ?? 10,
      async ([entryId, rawFields]) => {
        const message = toMessage(stream, entryId, rawFields, counts.get(entryId) ?? 1);
        try {
          if (!message.event) throw new PoisonMessageError(`entry ${entryId} on ${stream} is not a CloudEvent`);
          await withTimeout(this.options.handle(message), this.options.handleTimeoutMs ?? 30_000, `handling ${entryId} on ${stream}`);
          return entryId;
        } catch (error) {
          if (error instanceof PoisonMessageError || message.deliveries >= this.maxDeliveries) {
            await this.options.onPoison(message, error);
            return entryId;
          }
          this.options.onError?.(error);
          return undefined;
        }
      },
    );
    const done = results.filter((id): id is string => id !== undefined);
    if (done.length > 0) await this.options.redis.xack(stream, this.options.group, ...done);
    return done.length;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Like Promise.all over `items`, with at most `limit` running at once; results keep their order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) record[String(flat[index])] = flat[index + 1];
  return record;
}

function toMessage(stream: string, entryId: string, rawFields: string[], deliveries: number): StreamMessage {
  const fields = toRecord(rawFields ?? []) as Record<string, string>;
  let event: CloudEvent | undefined;
  try {
    const parsed = JSON.parse(fields.event ?? '') as CloudEvent;
    if (parsed && typeof parsed.id === 'string' && typeof parsed.type === 'string') event = parsed;
  } catch {
    event = undefined;
  }
  return { stream, entryId, fields, event, deliveries };
}
