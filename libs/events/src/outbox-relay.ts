import type { Collection, Document } from 'mongodb';
import type { CloudEvent } from './cloud-event.js';
import type { EventPublisher } from './event-publisher.js';

export interface OutboxRelayOptions {
  stream: string;
  /** Collections whose documents carry an embedded outbox. */
  collections: () => Collection<Document>[];
  publisher: EventPublisher;
  intervalMs?: number;
  batchSize?: number;
  onPublished?: (events: CloudEvent[]) => void;
  onError?: (error: unknown) => void;
}

interface PendingDocument {
  _id: unknown;
  outbox?: CloudEvent[];
}

/**
 * Publishes outbox events and removes them from their documents. At least once: a crash between
 * publishing and removal publishes again, and consumers deduplicate by event id. While Redis is
 * down events simply wait in their documents.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private rerun = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling after a last attempt, so events written just before shutdown still leave. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.drain().catch(() => undefined);
  }

  /** Called right after a write with events, so delivery does not wait for the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** One pass over every collection; returns how many events were published. */
  async drain(): Promise<number> {
    let published = 0;
    for (const collection of this.options.collections()) {
      published += await this.drainCollection(collection);
    }
    return published;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let published = 0;
    let failed = false;
    this.running = this.drain();
    try {
      published = await this.running;
    } catch (error) {
      failed = true;
      this.options.onError?.(error);
    } finally {
      this.running = undefined;
    }
    const again = this.rerun || published >= (this.options.batchSize ?? 200);
    this.rerun = false;
    const interval = this.options.intervalMs ?? 500;
    this.schedule(failed ? interval * 4 : again ? 0 : interval);
  }

  private async drainCollection(collection: Collection<Document>): Promise<number> {
    const pending = (await collection
      .find({ outboxAt: { $exists: true } }, { projection: { outbox: 1 } })
      .limit(this.options.batchSize ?? 200)
      .toArray()) as PendingDocument[];
    let published = 0;
    for (const document of pending) {
      const events = document.outbox ?? [];
      if (events.length > 0) {
        await this.options.publisher.publish(this.options.stream, events);
        // Exact-value removal: events added meanwhile stay for the next pass.
        await collection.updateOne({ _id: document._id } as Document, { $pullAll: { outbox: events } } as Document);
        published += events.length;
        this.options.onPublished?.(events);
      }
      await collection.updateOne({ _id: document._id, outbox: { $size: 0 } } as Document, { $unset: { outboxAt: '' } });
    }
    return published;
  }
}
