import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Channel } from '../../src/common/channels.js';
import { queueName } from '../../src/delivery/delivery.queues.js';

/** A channel's queue as the service's workers see it, on a connection of the test's own. */
export async function withQueue<T>(channel: Channel, prefix: string, use: (queue: Queue) => Promise<T>): Promise<T> {
  const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queue = new Queue(queueName(channel), { connection, prefix });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    await connection.quit();
  }
}
