import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { defined } from '../common/defined.js';
import { GroupCommit, insertEach } from '../common/group-commit.js';
import { CONTACT_MODEL, type ContactDocument } from './contact.schema.js';

export type ContactFields = Omit<ContactDocument, '_id' | 'updatedAt'>;

@Injectable()
export class ContactRepository {
  private readonly inserts = new GroupCommit<ContactDocument>((contacts) => insertEach(this.contacts, contacts));

  constructor(@InjectModel(CONTACT_MODEL) private readonly contacts: Model<ContactDocument>) {}

  get(userId: string): Promise<ContactDocument | null> {
    return this.contacts.findById(userId).lean<ContactDocument>().exec();
  }

  /** Single-document upsert: replaying the same event writes the same values. */
  async merge(userId: string, fields: Partial<ContactFields>): Promise<ContactDocument> {
    return (await this.contacts.findOneAndUpdate({ _id: userId }, { $set: defined(fields) }, { upsert: true, returnDocument: 'after' }).lean<ContactDocument>().exec())!;
  }

  /**
   * For a contact that is most likely new (a user was just created): an insert, which the
   * database does not serialize the way it does updates (and which goes together with the other
   * events in flight); a contact that exists after all (a redelivered event) is merged instead.
   */
  async insertOrMerge(userId: string, fields: Partial<ContactFields>): Promise<ContactDocument> {
    const contact: ContactDocument = { ...defined(fields), _id: userId, updatedAt: new Date() };
    return (await this.inserts.submit(contact)) ? contact : this.merge(userId, fields);
  }
}
