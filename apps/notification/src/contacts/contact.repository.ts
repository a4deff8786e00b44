import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { CONTACT_MODEL, type ContactDocument } from './contact.schema.js';

export type ContactFields = Omit<ContactDocument, '_id' | 'updatedAt'>;

@Injectable()
export class ContactRepository {
  constructor(@InjectModel(CONTACT_MODEL) private readonly contacts: Model<ContactDocument>) {}

  get(userId: string): Promise<ContactDocument | null> {
    return this.contacts.findById(userId).lean<ContactDocument>().exec();
  }

  /** Single-document upsert: replaying the same event writes the same values. */
  async merge(userId: string, fields: Partial<ContactFields>): Promise<ContactDocument> {
    const set = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return (await this.contacts.findOneAndUpdate({ _id: userId }, { $set: set }, { upsert: true, returnDocument: 'after' }).lean<ContactDocument>().exec())!;
  }
}
