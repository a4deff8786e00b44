import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import { CUSTOM_ROLE_MODEL, type CustomRoleDocument } from './custom-role.schema.js';

@Injectable()
export class CustomRoleRepository {
  constructor(@InjectModel(CUSTOM_ROLE_MODEL) private readonly model: Model<CustomRoleDocument>) {}

  async insert(document: Omit<CustomRoleDocument, 'createdAt' | 'updatedAt'>): Promise<CustomRoleDocument> {
    return (await this.model.create(document)).toObject<CustomRoleDocument>();
  }

  async findById(orgId: string, roleId: string): Promise<CustomRoleDocument | null> {
    return this.model.findOne({ _id: roleId, orgId }).lean<CustomRoleDocument>().exec();
  }

  async findByKeys(orgId: string, keys: string[]): Promise<CustomRoleDocument[]> {
    if (keys.length === 0) return [];
    return this.model.find({ orgId, key: { $in: keys } }).lean<CustomRoleDocument[]>().exec();
  }

  async page(orgId: string, request: PageRequest): Promise<Page<CustomRoleDocument>> {
    return findPage(this.model, { orgId }, request);
  }

  /** Compare-and-set on the version; null when another writer changed the role first. */
  async updateIfVersion(orgId: string, roleId: string, version: number, set: Partial<CustomRoleDocument>): Promise<CustomRoleDocument | null> {
    return this.model.findOneAndUpdate({ _id: roleId, orgId, version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' }).lean<CustomRoleDocument>().exec();
  }

  async delete(orgId: string, roleId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: roleId, orgId }).exec()).deletedCount === 1;
  }
}
