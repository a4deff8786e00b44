import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, QueryFilter } from 'mongoose';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { visibleClinicCondition } from '../rbac/visible-clinics.js';
import { AUDIT_ENTRY_MODEL, type AuditEntryDocument } from './audit-entry.schema.js';

export interface AuditFilter {
  resourceType?: string;
  resourceId?: string;
  clinicId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AUDIT_ENTRY_MODEL) private readonly model: Model<AuditEntryDocument>) {}

  async insert(entry: AuditEntryDocument): Promise<void> {
    await this.model.create(entry);
  }

  async page(orgId: string, visibility: Visibility, filter: AuditFilter, request: PageRequest): Promise<Page<AuditEntryDocument>> {
    const query: QueryFilter<AuditEntryDocument> = { orgId };
    const visible = visibleClinicCondition(visibility);
    if (visible) query.clinicId = visible;
    if (filter.clinicId) query.$and = [{ clinicId: filter.clinicId }];
    if (filter.resourceType) query.resourceType = filter.resourceType;
    if (filter.resourceId) query.resourceId = filter.resourceId;
    if (filter.actorId) query.actorId = filter.actorId;
    if (filter.action) query.action = filter.action;
    if (filter.from || filter.to) query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    return findPage(this.model, query, request);
  }
}
