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

/** The document a write just gave events to. */
export interface OutboxHint {
  collection: Collection<Document>;
  id: unknown;
}

/**
 * Publishes outbox events and removes them from their documents. At least once: a crash between
 * publishing and removal publishes again, and so do two replicas draining the same document at
 * once (nothing claims a document: a claim would cost a write per document on the hot path), so
 * consumers deduplicate by event id. While Redis is down events simply wait in their documents.
 *
 * A kick that names its document drains just that document (a read by `_id`); a pass over every
 * collection (a query on `outboxAt`) runs at most once per interval, for whatever a crash, an
 * outage or a kick without a hint left behind. Scanning on every kick cost more than the writes
 * themselves under load, wherever that query is not served by an index.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private rerun = false;
  private fullPassDue = true;
  private lastFullPass = 0;
  private hinted: OutboxHint[] = [];

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
  kick(hint?: OutboxHint): void {
    if (this.stopped) return;
    if (hint) this.hinted.push(hint);
    else this.fullPassDue = true;
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
    // (timers may fire a little early against the wall clock)
    const full = this.fullPassDue || Date.now() - this.lastFullPass >= this.interval * 0.9;
    const hinted = this.hinted;
    this.hinted = [];
    if (full) {
      this.fullPassDue = false;
      this.lastFullPass = Date.now();
    }
    this.running = full ? this.drain() : this.drainHinted(hinted);
    try {
      published = await this.running;
    } catch (error) {
      failed = true;
      this.options.onError?.(error);
    } finally {
      this.running = undefined;
    }
    // A full pass that filled its batch may have left more behind.
    if (full && published >= this.batchSize) this.fullPassDue = true;
    const again = this.rerun || this.fullPassDue;
    this.rerun = false;
    this.schedule(failed ? this.interval * 4 : again ? 0 : this.interval);
  }

  private get interval(): number {
    return this.options.intervalMs ?? 500;
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  private async drainHinted(hints: OutboxHint[]): Promise<number> {
    let published = 0;
    for (const { collection, id } of hints) {
      const document = (await collection.findOne({ _id: id } as Document, { projection: { outbox: 1, outboxAt: 1 } })) as
        | (PendingDocument & { outboxAt?: unknown })
        | null;
      if (document?.outboxAt !== undefined) published += await this.drainDocuments(collection, [document]);
    }
    return published;
  }

  private async drainCollection(collection: Collection<Document>): Promise<number> {
    const pending = (await collection
      .find({ outboxAt: { $exists: true } }, { projection: { outbox: 1 } })
      .limit(this.batchSize)
      .toArray()) as PendingDocument[];
    return this.drainDocuments(collection, pending);
  }

  private async drainDocuments(collection: Collection<Document>, pending: PendingDocument[]): Promise<number> {
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
