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

  /** Roles a new binding or clinic catalogue may reference: not being deleted. */
  async findGrantableByKeys(orgId: string, keys: string[]): Promise<CustomRoleDocument[]> {
    if (keys.length === 0) return [];
    return this.model.find({ orgId, key: { $in: keys }, status: { $ne: 'deleting' } }).lean<CustomRoleDocument[]>().exec();
  }

  async page(orgId: string, request: PageRequest): Promise<Page<CustomRoleDocument>> {
    return findPage(this.model, { orgId }, request);
  }

  /** Compare-and-set on the version; null when another writer changed the role first. */
  async updateIfVersion(orgId: string, roleId: string, version: number, set: Partial<CustomRoleDocument>): Promise<CustomRoleDocument | null> {
    return this.model.findOneAndUpdate({ _id: roleId, orgId, version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' }).lean<CustomRoleDocument>().exec();
  }

  /**
   * Starts a deletion in one write: from now on grants refuse the role. A later deletion takes the
   * mark over, so an earlier one can neither finish nor undo it. Null when there is no such role.
   */
  async markDeleting(orgId: string, roleId: string, deletionId: string): Promise<CustomRoleDocument | null> {
    return this.model.findOneAndUpdate({ _id: roleId, orgId }, { $set: { status: 'deleting', deletionId } }, { returnDocument: 'before' }).lean<CustomRoleDocument>().exec();
  }

  async unmarkDeleting(orgId: string, roleId: string, deletionId: string): Promise<void> {
    await this.model.updateOne({ _id: roleId, orgId, deletionId }, { $set: { status: 'active' }, $unset: { deletionId: '' } }).exec();
  }

  /** False when another deletion took the mark over in the meantime. */
  async deleteMarked(orgId: string, roleId: string, deletionId: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: roleId, orgId, deletionId }).exec()).deletedCount === 1;
  }
}
