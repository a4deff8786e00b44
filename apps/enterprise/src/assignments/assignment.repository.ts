import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { OUTBOX_FIELDS, withOutbox } from '../common/outbox.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { ASSIGNMENT_MODEL, type AssignmentDocument } from './assignment.schema.js';
import type { StoredEntry } from './schedule/provider-schedule.schema.js';

export interface AssignmentFilter {
  clinicId?: string;
  providerId?: string;
  status?: string;
  primary?: boolean;
}

@Injectable()
export class AssignmentRepository {
  constructor(@InjectModel(ASSIGNMENT_MODEL) private readonly model: Model<AssignmentDocument>) {}

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

  /**
   * Brings assignment documents up to their schedule entries. The provider's schedule decides
   * slots, exceptions and the primary flag and versions each entry, so each write carries the
   * entry's whole state and applies only over an older version: mirrors of concurrent changes may
   * land in any order and the document still ends at the newest state, never an older one.
   */
  async mirror(orgId: string, entries: StoredEntry[]): Promise<void> {
    for (const entry of entries) {
      const state = { slots: entry.slots, exceptions: entry.exceptions, primary: entry.primary };
      if (entry.version === undefined) {
        // An entry from before versions were stored: the document's own version moves on.
        await this.model.updateOne({ _id: entry.assignmentId, orgId }, { $set: state, $inc: { version: 1 } }).exec();
      } else {
        await this.model.updateOne({ _id: entry.assignmentId, orgId, version: { $lt: entry.version } }, { $set: { ...state, version: entry.version } }).exec();
      }
    }
  }

  /**
   * Writes the end decided on the schedule at `version`, with its event. The schedule gave that
   * version to one request only, so the document can be behind it or, when a repair mirrored the
   * ended entry first, at it but still active — never ahead.
   */
  async end(orgId: string, assignmentId: string, version: number, set: Partial<AssignmentDocument>, event: CloudEvent): Promise<AssignmentDocument | null> {
    return (
      this.model
        .findOneAndUpdate({ _id: assignmentId, orgId, status: 'active', version: { $lte: version } }, withOutbox<AssignmentDocument>({ $set: { ...set, version } }, event), { returnDocument: 'after' })
        // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
        .select(OUTBOX_FIELDS)
        .lean<AssignmentDocument>()
        .exec()
    );
  }

  async delete(orgId: string, assignmentId: string): Promise<void> {
    await this.model.deleteOne({ _id: assignmentId, orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }
}
