import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { EnterpriseEnv } from '../config/enterprise.env.js';

/** How long a writer waits for every replica to confirm it dropped its copies before answering anyway. */
const ACK_TIMEOUT_MS = 250;

interface Waiter {
  acks: number;
  expected: number;
  done: () => void;
}

/**
 * Tells every replica (this one included) to drop in-process copies of changed documents, and
 * waits until each replica subscribed at that moment has confirmed it did, so the write is not
 * acknowledged to its client while another replica could still serve the old state.
 *
 * A replica trusts its in-process copies only while its subscription is up (`live`); losing it,
 * or getting it back, starts a new `epoch` and every older copy is ignored. When a replica cannot
 * confirm in time (a stalled event loop, a half-open connection), the writer answers after
 * ACK_TIMEOUT_MS and that replica's copies expire on their own (ReadCache's LOCAL_TTL_MS).
 */
@Injectable()
export class InvalidationBus implements OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationBus.name);
  private readonly replica = randomUUID();
  private readonly prefix: string;
  private readonly subscriber: Redis;
  private readonly waiting = new Map<string, Waiter>();
  private readonly listeners: ((keys: string[]) => void)[] = [];
  private sequence = 0;
  private warned = false;

  /** True while this replica receives invalidations. */
  live = false;
  /** Moves on every loss or return of the subscription. */
  epoch = 0;
  /** Moves on every invalidation received: a fill that read before it must not be kept. */
  generation = 0;

  constructor(
    private readonly redis: Redis,
    env: EnterpriseEnv,
  ) {
    // Channels are not keys: ioredis does not prefix them, so tests sharing one Redis stay apart by prefix.
    this.prefix = `${env.REDIS_KEY_PREFIX}cache:`;
    this.subscriber = redis.duplicate({ connectionName: 'invalidation', autoResubscribe: false });
    this.subscriber.on('ready', () => void this.subscribe());
    this.subscriber.on('close', () => this.lost());
    this.subscriber.on('error', () => undefined); // the main client logs Redis outages
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
  }

  onInvalidate(listener: (keys: string[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Publishes the keys and resolves once every replica that received them has confirmed, or after
   * ACK_TIMEOUT_MS. Never throws: with Redis away there is nobody to tell (replicas without a
   * subscription do not use their copies).
   */
  async publish(keys: string[]): Promise<void> {
    const id = String(++this.sequence);
    let done!: () => void;
    const confirmed = new Promise<void>((resolve) => (done = resolve));
    const waiter: Waiter = { acks: 0, expected: Number.POSITIVE_INFINITY, done };
    this.waiting.set(id, waiter);
    let timer: NodeJS.Timeout | undefined;
    try {
      waiter.expected = await this.redis.publish(this.channel, JSON.stringify({ from: this.replica, id, keys }));
      if (waiter.acks >= waiter.expected) done();
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ACK_TIMEOUT_MS)));
      if (await Promise.race([confirmed.then(() => false), timedOut])) {
        this.logger.warn(`${waiter.expected - waiter.acks} of ${waiter.expected} replicas did not confirm a cache invalidation within ${ACK_TIMEOUT_MS} ms`);
      }
      this.warned = false;
    } catch (error) {
      if (!this.warned) this.logger.warn(`cache invalidations cannot be published: ${(error as Error).message}`);
      this.warned = true;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private get channel(): string {
    return `${this.prefix}invalidate`;
  }

  private ackChannel(replica: string = this.replica): string {
    return `${this.prefix}ack:${replica}`;
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel, this.ackChannel());
      this.epoch++;
      this.live = true;
    } catch {
      this.subscriber.disconnect(true);
    }
  }

  private lost(): void {
    if (this.live) this.epoch++;
    this.live = false;
  }

  private receive(channel: string, message: string): void {
    if (channel === this.ackChannel()) {
      const waiter = this.waiting.get(message);
      if (waiter && ++waiter.acks >= waiter.expected) waiter.done();
      return;
    }
    let invalidation: { from: string; id: string; keys: string[] };
    try {
      invalidation = JSON.parse(message) as typeof invalidation;
    } catch {
      return;
    }
    this.generation++;
    for (const listener of this.listeners) listener(invalidation.keys);
    void this.redis.publish(this.ackChannel(invalidation.from), invalidation.id).catch(() => undefined);
  }
}
