import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PROVIDER_SCHEDULE_MODEL, type ProviderScheduleDocument, type StoredEntry, type StoredEntryInput } from './provider-schedule.schema.js';

/**
 * Entries from before status and primary periods were stored: active (an ended assignment's
 * document says so and is checked first), primary over their whole period when flagged.
 */
function upgraded({ primary, ...entry }: StoredEntryInput): StoredEntry {
  return {
    ...entry,
    status: entry.status ?? 'active',
    primaryPeriods: entry.primaryPeriods ?? (primary ? [{ from: entry.from, to: entry.to }] : []),
  };
}

@Injectable()
export class ProviderScheduleRepository {
  constructor(@InjectModel(PROVIDER_SCHEDULE_MODEL) private readonly model: Model<ProviderScheduleDocument>) {}

  /** The provider's schedule; a provider without one has an empty schedule at version 0. */
  async read(orgId: string, providerId: string): Promise<ProviderScheduleDocument> {
    const found = await this.model.findById(`${orgId}:${providerId}`).lean<ProviderScheduleDocument>().exec();
    if (!found) return { _id: `${orgId}:${providerId}`, orgId, providerId, entries: [], version: 0 };
    return { ...found, entries: (found.entries as StoredEntryInput[]).map(upgraded) };
  }

  /**
   * Replaces the entries only if the schedule is still at `version` (0 = does not exist yet, and
   * the unique _id makes two concurrent first writes collide). False means someone else won.
   */
  async writeIfVersion(schedule: ProviderScheduleDocument, entries: StoredEntry[]): Promise<boolean> {
    if (schedule.version === 0) {
      try {
        await this.model.create({ ...schedule, entries, version: 1 });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    }
    const result = await this.model.updateOne({ _id: schedule._id, version: schedule.version }, { $set: { entries }, $inc: { version: 1 } }).exec();
    return result.matchedCount === 1;
  }
}
