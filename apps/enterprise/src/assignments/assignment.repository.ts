import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { LockRepository } from '../common/lock.repository.js';
import { OUTBOX_FIELDS, withOutbox } from '../common/outbox.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { ASSIGNMENT_MODEL, type AssignmentDocument } from './assignment.schema.js';

export interface AssignmentFilter {
  clinicId?: string;
  providerId?: string;
  status?: string;
  primary?: boolean;
}

@Injectable()
export class AssignmentRepository {
  constructor(
    @InjectModel(ASSIGNMENT_MODEL) private readonly model: Model<AssignmentDocument>,
    private readonly locks: LockRepository,
  ) {}

  async insert(document: Omit<AssignmentDocument, 'createdAt' | 'updatedAt'>, event: CloudEvent): Promise<void> {
    await this.model.create({ ...document, ...outboxOnInsert(event) });
  }

  async findById(orgId: string, assignmentId: string): Promise<AssignmentDocument | null> {
    return this.model.findOne({ _id: assignmentId, orgId }).lean<AssignmentDocument>().exec();
  }

  async page(orgId: string, visibility: Visibility, filter: AssignmentFilter, request: PageRequest): Promise<Page<AssignmentDocument>> {
    const query: QueryFilter<AssignmentDocument> = { orgId };
    const clinicIds = visibility.all ? null : [...visibility.only];
    if (clinicIds) query.clinicId = { $in: clinicIds };
    else if (visibility.except.size > 0) query.clinicId = { $nin: [...visibility.except] };
    if (filter.clinicId) query.$and = [{ clinicId: filter.clinicId }];
    if (filter.providerId) query.providerId = filter.providerId;
    if (filter.status) query.status = filter.status as AssignmentDocument['status'];
    if (filter.primary !== undefined) query.primary = filter.primary;
    return findPage(this.model, query, request);
  }

  async updateIfVersion(
    orgId: string,
    assignmentId: string,
    version: number,
    set: Partial<AssignmentDocument>,
    ...events: CloudEvent[]
  ): Promise<AssignmentDocument | null> {
    return this.locks.withLock(`assignment:${assignmentId}`, () =>
      this.model
        .findOneAndUpdate({ _id: assignmentId, orgId, version }, withOutbox<AssignmentDocument>({ $set: set, $inc: { version: 1 } }, ...events), { new: true })
        // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
        .select(OUTBOX_FIELDS)
        .lean<AssignmentDocument>()
        .exec(),
    );
  }

  /** Mirrors demotions decided on the provider schedule (the source of truth for "primary"). */
  async demote(orgId: string, assignmentIds: string[]): Promise<void> {
    for (const id of assignmentIds) {
      await this.locks.withLock(`assignment:${id}`, () => this.model.updateOne({ orgId, _id: id }, { $set: { primary: false }, $inc: { version: 1 } }).exec());
    }
  }

  async hasActive(orgId: string, providerId: string): Promise<boolean> {
    return (await this.model.exists({ orgId, providerId, status: 'active' }).exec()) !== null;
  }

  async delete(orgId: string, assignmentId: string): Promise<void> {
    await this.model.deleteOne({ _id: assignmentId, orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }
}
