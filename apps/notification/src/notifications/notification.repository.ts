import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { NOTIFICATION_MODEL, type NotificationDocument } from './notification.schema.js';

@Injectable()
export class NotificationRepository {
  constructor(@InjectModel(NOTIFICATION_MODEL) private readonly notifications: Model<NotificationDocument>) {}

  async insert(notification: Omit<NotificationDocument, 'createdAt' | 'updatedAt'>): Promise<void> {
    await this.notifications.create(notification);
  }

  byId(id: string): Promise<NotificationDocument | null> {
    return this.notifications.findById(id).lean<NotificationDocument>().exec();
  }

  listForUser(userId: string, limit: number, offset: number): Promise<NotificationDocument[]> {
    return this.notifications.find({ userId }).sort({ createdAt: -1 }).skip(offset).limit(limit).lean<NotificationDocument[]>().exec();
  }

  /** Notifications whose deliveries were not all created and enqueued, oldest first. */
  pendingBefore(before: Date, limit: number): Promise<NotificationDocument[]> {
    return this.notifications.find({ pendingSince: { $lte: before } }).sort({ pendingSince: 1 }).limit(limit).lean<NotificationDocument[]>().exec();
  }

  async clearPending(id: string): Promise<void> {
    await this.notifications.updateOne({ _id: id }, { $unset: { pendingSince: '' } });
  }
}
