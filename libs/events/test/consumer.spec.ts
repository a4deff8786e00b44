import { uniqueName, waitFor } from '@dentalos/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvent, EventPublisher, StreamConsumer, type StreamConsumerOptions, type StreamMessage } from '../src/index.js';

const connections: Redis[] = [];
function connect(): Redis {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  connections.push(redis);
  return redis;
}
afterAll(async () => {
  await Promise.all(connections.map((redis) => redis.quit()));
});

const event = (type: string, data: unknown = {}) => createEvent({ source: 'test', type, data });

function consumer(stream: string, overrides: Partial<StreamConsumerOptions> & Pick<StreamConsumerOptions, 'handle'>) {
  return new StreamConsumer({
    redis: connect(),
    streams: [stream],
    group: 'notification',
    consumer: uniqueName('c'),
    onPoison: async () => undefined,
    blockMs: 50,
    claimIdleMs: 200,
    ...overrides,
  });
}

describe('StreamConsumer', () => {
  it('creates its group once and handles events published before it started, each acknowledged', async () => {
    const stream = uniqueName('events');
    const publisher = new EventPublisher(connect());
    const early = [event('a.one'), event('a.two')];
    await publisher.publish(stream, early);
    const seen: string[] = [];
    const subject = consumer(stream, { handle: async (message) => void seen.push(message.event!.id) });
    await subject.ensureGroups();
    await subject.ensureGroups(); // BUSYGROUP is not an error
    subject.start();
    const late = event('a.three');
    await publisher.publish(stream, [late]);
    await waitFor(() => seen.length === 3, { what: 'three events handled' });
    await subject.stop();
    expect(seen).toEqual([...early, late].map((e) => e.id));
    expect(await subject.lag()).toEqual([{ stream, lag: 0, pending: 0 }]);
  });

  it('claims entries a crashed consumer read but never acknowledged, and finishes them', async () => {
    const stream = uniqueName('events');
    const redis = connect();
    const events = [event('b.one'), event('b.two'), event('b.three')];
    await new EventPublisher(redis).publish(stream, events);
    await redis.xgroup('CREATE', stream, 'notification', '0', 'MKSTREAM');
    // The "crashed" consumer reads everything and dies before acknowledging.
    const read = (await redis.xreadgroup('GROUP', 'notification', 'crashed', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, unknown[]][];
    expect(read[0]![1]).toHaveLength(3);
    const seen: StreamMessage[] = [];
    const survivor = consumer(stream, { handle: async (message) => void seen.push(message) });
    survivor.start();
    await waitFor(() => seen.length === 3, { what: 'claimed entries handled' });
    await survivor.stop();
    expect(seen.map((m) => m.event!.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(seen.every((m) => m.deliveries === 2)).toBe(true);
    const summary = (await redis.xpending(stream, 'notification')) as [number, ...unknown[]];
    expect(summary[0]).toBe(0);
  });

  it('a restarted consumer with the same name finishes its own pending entries at once', async () => {
    const stream = uniqueName('events');
    const redis = connect();
    const pendingEvent = event('c.one');
    await new EventPublisher(redis).publish(stream, [pendingEvent]);
    await redis.xgroup('CREATE', stream, 'notification', '0', 'MKSTREAM');
    await redis.xreadgroup('GROUP', 'notification', 'pod-1', 'COUNT', 10, 'STREAMS', stream, '>');
    const seen: string[] = [];
    const restarted = consumer(stream, { consumer: 'pod-1', claimIdleMs: 60_000, handle: async (m) => void seen.push(m.event!.id) });
    expect(await restarted.poll()).toBe(1);
    expect(seen).toEqual([pendingEvent.id]);
  });

  it('sends an event that keeps failing to poison handling without blocking the stream', async () => {
    const stream = uniqueName('events');
    const redis = connect();
    const poison = event('d.poison');
    const good = [event('d.good'), event('d.good')];
    await new EventPublisher(redis).publish(stream, [poison, ...good]);
    const handled: string[] = [];
    const poisoned: { id?: string; deliveries: number; error: string }[] = [];
    let attempts = 0;
    const subject = consumer(stream, {
      maxDeliveries: 3,
      handle: async (message) => {
        if (message.event!.type === 'd.poison') {
          attempts += 1;
          throw new Error('cannot handle this');
        }
        handled.push(message.event!.id);
      },
      onPoison: async (message, error) => void poisoned.push({ id: message.event?.id, deliveries: message.deliveries, error: (error as Error).message }),
    });
    subject.start();
    await waitFor(() => poisoned.length === 1, { what: 'poison event dead-lettered' });
    await subject.stop();
    expect(handled).toEqual(good.map((e) => e.id));
    expect(attempts).toBe(3);
    expect(poisoned).toEqual([{ id: poison.id, deliveries: 3, error: 'cannot handle this' }]);
    expect(await subject.lag()).toEqual([{ stream, lag: 0, pending: 0 }]);
  });

  it('dead-letters an entry that is not a CloudEvent on first sight', async () => {
    const stream = uniqueName('events');
    const redis = connect();
    await redis.xadd(stream, '*', 'id', 'x', 'type', 'broken', 'event', '{not json');
    const poisoned: StreamMessage[] = [];
    const subject = consumer(stream, { handle: async () => undefined, onPoison: async (m) => void poisoned.push(m) });
    await subject.ensureGroups();
    expect(await subject.poll()).toBe(1);
    expect(poisoned).toHaveLength(1);
    expect(poisoned[0]!.event).toBeUndefined();
    expect(poisoned[0]!.fields.type).toBe('broken');
  });

  it('reports lag for entries not yet read', async () => {
    const stream = uniqueName('events');
    const subject = consumer(stream, { handle: async () => undefined });
    await subject.ensureGroups();
    await new EventPublisher(connect()).publish(stream, [event('e.1'), event('e.2')]);
    expect(await subject.lag()).toEqual([{ stream, lag: 2, pending: 0 }]);
  });
});

describe('StreamConsumer with a hung handler', () => {
  it('gives up on a handler that never returns and retries the entry later', async () => {
    const stream = uniqueName('events');
    await new EventPublisher(connect()).publish(stream, [event('f.hang')]);
    let calls = 0;
    const subject = consumer(stream, {
      handleTimeoutMs: 100,
      handle: async () => {
        calls += 1;
        if (calls === 1) await new Promise(() => undefined);
      },
    });
    subject.start();
    await waitFor(() => calls === 2, { what: 'second attempt after the timeout' });
    await subject.stop();
    expect(await subject.lag()).toEqual([{ stream, lag: 0, pending: 0 }]);
  });
});
