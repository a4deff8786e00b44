import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DEAD_LETTER_MODEL, type DeadLetterDocument, type DeadLetterKind, type DeadLetterState } from './dead-letter.schema.js';

export type NewDeadLetter = Omit<DeadLetterDocument, 'state' | 'replays' | 'createdAt' | 'updatedAt' | 'replayedAt'>;

@Injectable()
export class DeadLetterRepository {
  constructor(@InjectModel(DEAD_LETTER_MODEL) private readonly deadLetters: Model<DeadLetterDocument>) {}

  /** Opens (or re-opens, after a replay that failed again) the entry for this failure. */
  async record(entry: NewDeadLetter): Promise<void> {
    const { _id, ...fields } = entry;
    await this.deadLetters.updateOne({ _id }, { $set: { ...fields, state: 'open' }, $setOnInsert: { replays: 0 } }, { upsert: true });
  }

  byId(id: string): Promise<DeadLetterDocument | null> {
    return this.deadLetters.findById(id).lean<DeadLetterDocument>().exec();
  }

  list(filter: { state?: DeadLetterState; kind?: DeadLetterKind }, limit: number, offset: number): Promise<DeadLetterDocument[]> {
    const query: Record<string, unknown> = {};
    if (filter.state) query.state = filter.state;
    if (filter.kind) query.kind = filter.kind;
    return this.deadLetters.find(query).sort({ createdAt: -1 }).skip(offset).limit(limit).lean<DeadLetterDocument[]>().exec();
  }

  openIds(limit: number): Promise<string[]> {
    return this.deadLetters
      .find({ state: 'open' }, { _id: 1 })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec()
      .then((rows) => rows.map((row) => row._id));
  }

  /** open → replayed; false when someone else replayed it first. */
  async markReplayed(id: string): Promise<boolean> {
    const result = await this.deadLetters.updateOne({ _id: id, state: 'open' }, { $set: { state: 'replayed', replayedAt: new Date() }, $inc: { replays: 1 } });
    return result.modifiedCount === 1;
  }

  async reopen(id: string, error: string): Promise<void> {
    await this.deadLetters.updateOne({ _id: id }, { $set: { state: 'open', error } });
  }

  countOpen(): Promise<number> {
    return this.deadLetters.countDocuments({ state: 'open' }).exec();
  }
}
