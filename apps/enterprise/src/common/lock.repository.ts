import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ServiceUnavailableError } from '@dentalos/core';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { LOCK_MODEL, type LockDocument } from './lock.schema.js';

/** A holder that crashed releases its lease after this long. */
const LEASE_MS = 10_000;
/** How long a caller queues for a busy lock before answering 503. */
const WAIT_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Mutual exclusion for one document's read-check-write (plan counters, a provider's schedule,
 * versioned updates). Every write that must be conditional runs inside `withLock`, so the check
 * and the write cannot interleave with another replica's, whatever the database does.
 */
@Injectable()
export class LockRepository {
  constructor(@InjectModel(LOCK_MODEL) private readonly model: Model<LockDocument>) {}

  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.model.create({ _id: name, token, expiresAt: new Date(Date.now() + LEASE_MS) });
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        // Take over a lease whose holder died.
        await this.model.deleteOne({ _id: name, expiresAt: { $lt: new Date() } }).exec();
        if (Date.now() > deadline) throw new ServiceUnavailableError('RESOURCE_BUSY', 'The resource is being changed by many requests; retry shortly.');
        await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
      }
    }
    try {
      return await work();
    } finally {
      await this.model.deleteOne({ _id: name, token }).exec();
    }
  }
}
