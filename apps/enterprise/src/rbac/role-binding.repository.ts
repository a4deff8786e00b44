import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { OUTBOX_FIELDS, withOutbox } from '../common/outbox.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from './policy.js';
import { ROLE_BINDING_MODEL, type RoleBindingDocument } from './role-binding.schema.js';
import { visibleClinicCondition } from './visible-clinics.js';

export interface BindingFilter {
  userId?: string;
  role?: string;
  clinicId?: string;
  status?: string;
}

export function activeKey(binding: Pick<RoleBindingDocument, 'orgId' | 'userId' | 'role' | 'clinicId' | 'effect'>): string {
  return [binding.orgId, binding.userId, binding.role, binding.clinicId ?? '*', binding.effect].join('|');
}

@Injectable()
export class RoleBindingRepository {
  constructor(@InjectModel(ROLE_BINDING_MODEL) private readonly model: Model<RoleBindingDocument>) {}

  async insert(document: Omit<RoleBindingDocument, 'createdAt' | 'updatedAt' | 'activeKey'>, event: CloudEvent): Promise<RoleBindingDocument> {
    const created = await this.model.create({ ...document, activeKey: activeKey(document), ...outboxOnInsert(event) });
    return created.toObject<RoleBindingDocument>();
  }

  async findById(orgId: string, bindingId: string): Promise<RoleBindingDocument | null> {
    return this.model.findOne({ _id: bindingId, orgId }).lean<RoleBindingDocument>().exec();
  }

  async activeFor(orgId: string, userId: string): Promise<RoleBindingDocument[]> {
    return this.model.find({ orgId, userId, status: 'active' }).lean<RoleBindingDocument[]>().exec();
  }

  async orgIdsOf(userId: string): Promise<string[]> {
    return (await this.model.distinct('orgId', { userId, status: 'active' }).exec()) as string[];
  }

  async isRoleBound(orgId: string, role: string): Promise<boolean> {
    return (await this.model.exists({ orgId, role, status: 'active' }).exec()) !== null;
  }

  /** Active org-wide owner allows minus denies: what `ownerCount` of the organization stands for. */
  async ownerBalance(orgId: string, ownerRole: string): Promise<number> {
    const orgWide = { orgId, role: ownerRole, clinicId: null, status: 'active' as const };
    const [allows, denies] = await Promise.all([
      this.model.countDocuments({ ...orgWide, effect: 'allow' }).exec(),
      this.model.countDocuments({ ...orgWide, effect: 'deny' }).exec(),
    ]);
    return allows - denies;
  }

  async page(orgId: string, visibility: Visibility, filter: BindingFilter, request: PageRequest): Promise<Page<RoleBindingDocument>> {
    const query: QueryFilter<RoleBindingDocument> = { orgId, status: (filter.status ?? 'active') as RoleBindingDocument['status'] };
    const visible = visibleClinicCondition(visibility);
    if (visible) query.clinicId = visible;
    if (filter.clinicId) query.$and = [{ clinicId: filter.clinicId }];
    if (filter.userId) query.userId = filter.userId;
    if (filter.role) query.role = filter.role;
    return findPage(this.model, query, request);
  }

  /**
   * Revoking keeps the binding (history) and frees its active key in the same write; conditional
   * on `active`, so of two concurrent revokes exactly one succeeds (null: already revoked).
   */
  async revoke(orgId: string, bindingId: string, revokedBy: string, event: CloudEvent): Promise<RoleBindingDocument | null> {
    return this.model
      .findOneAndUpdate(
        { _id: bindingId, orgId, status: 'active' },
        withOutbox<RoleBindingDocument>({ $set: { status: 'revoked', revokedAt: new Date(), revokedBy }, $unset: { activeKey: '' } }, event),
        { returnDocument: 'after' },
      )
      // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
      .select(OUTBOX_FIELDS)
      .lean<RoleBindingDocument>()
      .exec();
  }

  async deleteForOrg(orgId: string): Promise<void> {
    await this.model.deleteMany({ orgId }).exec();
  }
}
