import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ORGANIZATION_PREFERENCE_MODEL, type PreferenceDocument, USER_PREFERENCE_MODEL } from './preference.schema.js';

export type PreferenceFields = Omit<PreferenceDocument, '_id' | 'updatedAt'>;

@Injectable()
export class PreferenceRepository {
  constructor(
    @InjectModel(USER_PREFERENCE_MODEL) private readonly users: Model<PreferenceDocument>,
    @InjectModel(ORGANIZATION_PREFERENCE_MODEL) private readonly organizations: Model<PreferenceDocument>,
  ) {}

  user(userId: string): Promise<PreferenceDocument | null> {
    return this.users.findById(userId).lean<PreferenceDocument>().exec();
  }

  organization(organizationId: string): Promise<PreferenceDocument | null> {
    return this.organizations.findById(organizationId).lean<PreferenceDocument>().exec();
  }

  saveUser(userId: string, fields: PreferenceFields): Promise<PreferenceDocument> {
    return this.save(this.users, userId, fields);
  }

  saveOrganization(organizationId: string, fields: PreferenceFields): Promise<PreferenceDocument> {
    return this.save(this.organizations, organizationId, fields);
  }

  async resetUser(userId: string): Promise<void> {
    await this.users.deleteOne({ _id: userId });
  }

  /** Replaces the whole document: a PUT states every preference, nothing is merged. */
  private async save(model: Model<PreferenceDocument>, id: string, fields: PreferenceFields): Promise<PreferenceDocument> {
    await model.replaceOne({ _id: id }, { _id: id, ...fields, updatedAt: new Date() }, { upsert: true });
    return (await model.findById(id).lean<PreferenceDocument>().exec())!;
  }
}
