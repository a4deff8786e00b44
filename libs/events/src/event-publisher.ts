import type { Redis } from 'ioredis';
import type { CloudEvent } from './cloud-event.js';

/** Roughly how many entries a stream keeps; consumers are expected to be far closer than this. */
export const STREAM_MAX_LENGTH = 1_000_000;

/** Appends events to a Redis Stream. One entry per event: `id`, `type` and the JSON `event`. */
export class EventPublisher {
  constructor(private readonly redis: Redis) {}

  async publish(stream: string, events: readonly CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      pipeline.xadd(stream, 'MAXLEN', '~', STREAM_MAX_LENGTH, '*', 'id', event.id, 'type', event.type, 'event', JSON.stringify(event));
    }
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error);
    if (failure) throw failure[0];
  }
}
