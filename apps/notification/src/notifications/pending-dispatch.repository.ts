import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { GroupCommit, insertEach } from '../common/group-commit.js';
import { PENDING_DISPATCH_MODEL, type PendingDispatchDocument } from './pending-dispatch.schema.js';

/** Markers are written and removed on every acceptance: together with the other acceptances in flight. */
@Injectable()
export class PendingDispatchRepository {
  private readonly marks = new GroupCommit<PendingDispatchDocument>((markers) => insertEach(this.markers, markers));

  private readonly clears = new GroupCommit<string>(async (ids) => {
    await this.markers.deleteMany({ _id: { $in: ids } });
  });

  constructor(@InjectModel(PENDING_DISPATCH_MODEL) private readonly markers: Model<PendingDispatchDocument>) {}

  /** Marks a notification as being dispatched; a marker already there (a retry) is kept as it is. */
  async mark(notificationId: string, at: Date): Promise<void> {
    await this.marks.submit({ _id: notificationId, at });
  }

  async clear(notificationId: string): Promise<void> {
    await this.clears.submit(notificationId);
  }

  /** Markers older than `before`, oldest first. */
  olderThan(before: Date, limit: number): Promise<PendingDispatchDocument[]> {
    return this.markers.find({ at: { $lte: before } }).sort({ at: 1 }).limit(limit).lean<PendingDispatchDocument[]>().exec();
  }
}
