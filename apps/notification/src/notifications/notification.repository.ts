import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { defined } from '../common/defined.js';
import { GroupCommit, insertEach } from '../common/group-commit.js';
import { NOTIFICATION_MODEL, type NotificationDocument } from './notification.schema.js';

@Injectable()
export class NotificationRepository {
  /**
   * Written once, as built by the factory (complete and in shape): lean, without Mongoose's
   * hydration, casting and defaults on the hot path of every acceptance (so timestamps are set
   * here), and together with the other acceptances in flight.
   */
  private readonly inserts = new GroupCommit<NotificationDocument>((notifications) =>
    insertEach(this.notifications, notifications.map((notification) => defined({ ...notification, updatedAt: notification.createdAt }))),
  );

  constructor(@InjectModel(NOTIFICATION_MODEL) private readonly notifications: Model<NotificationDocument>) {}

  /** False when the id is taken (a repeat): nothing written. */
  insert(notification: NotificationDocument): Promise<boolean> {
    return this.inserts.submit(notification);
  }

  /** A sensitive notification's content, once its deliveries hold it: nothing else needs it. */
  async discardContent(id: string): Promise<void> {
    await this.notifications.updateOne({ _id: id, content: { $exists: true } }, { $unset: { content: '' } });
  }

  byId(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findById(id).lean<NotificationDocument>().exec();
  }

  listForUser(userId: string, limit: number, offset: number): Promise<NotificationDocument[]> {
    return this.notifications.find({ userId }).sort({ createdAt: -1 }).skip(offset).limit(limit).lean<NotificationDocument[]>().exec();
  }
}
