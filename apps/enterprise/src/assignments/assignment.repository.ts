import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { withOutbox } from '../common/outbox.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { ASSIGNMENT_MODEL, type AssignmentDocument } from './assignment.schema.js';
import { primaryStateOf } from './assignment.view.js';
import type { StoredEntry } from './schedule/provider-schedule.schema.js';
import { todayUtc } from './schedule/zoned-time.js';

export interface AssignmentFilter {
  clinicId?: string;
  providerId?: string;
  status?: string;
  primary?: boolean;
}

export interface EndRecord {
  to: string;
  endedAt: Date;
  endedBy: string;
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
    if (filter.primary !== undefined) {
      const primary = await this.primaryNow(query, todayUtc());
      query.$and = [...(query.$and ?? []), filter.primary ? primary : { $nor: [primary] }];
    }
    return findPage(this.model, query, request);
  }

  /**
   * Matches the assignments of `scope` whose view says `primary` (see isPrimaryNow): primary
   * today, or on the first day of one not started yet. FerretDB cannot match two fields of one
   * array element ($elemMatch on documents), so the periods holding today are found by unwinding
   * them; a provider's periods are disjoint, so each assignment comes out at most once.
   */
  private async primaryNow(scope: QueryFilter<AssignmentDocument>, today: string): Promise<QueryFilter<AssignmentDocument>> {
    const primaryToday = await this.model
      .aggregate<{ _id: string }>([
        { $match: scope },
        { $unwind: '$primaryPeriods' },
        { $match: { 'primaryPeriods.from': { $lte: today }, $or: [{ 'primaryPeriods.to': null }, { 'primaryPeriods.to': { $gt: today } }] } },
        { $project: { _id: 1 } },
      ])
      .exec();
    return { $or: [{ from: { $gt: today }, primaryOnStart: true }, { _id: { $in: primaryToday.map((row) => row._id) } }] };
  }

  /**
   * Brings assignment documents up to their schedule entries. The provider's schedule decides
   * slots, exceptions, primary dates and the end, and versions each entry, so each write carries
   * the entry's whole state and applies only over an older version: mirrors of concurrent changes
   * may land in any order and the document still ends at the newest state, never an older one.
   */
  async mirror(orgId: string, entries: StoredEntry[]): Promise<void> {
    for (const entry of entries) {
      const state = { slots: entry.slots, exceptions: entry.exceptions, ...primaryStateOf(entry) };
      if (entry.version === undefined) {
        // An entry from before versions (and statuses) were stored: the document's own version moves on, its end stays its own.
        await this.model.updateOne({ _id: entry.assignmentId, orgId }, { $set: state, $inc: { version: 1 } }).exec();
      } else {
        const ending = { to: entry.to, status: entry.status };
        await this.model.updateOne({ _id: entry.assignmentId, orgId, version: { $lt: entry.version } }, { $set: { ...state, ...ending, version: entry.version } }).exec();
      }
    }
  }

  /**
   * Records who ended the assignment, with its event, once: the schedule lets one request end it,
   * and that request alone calls this. Its state (and version) comes with `mirror`, which may run
   * before or after this in any order, so this write leaves the version alone.
   */
  async recordEnd(orgId: string, assignmentId: string, record: EndRecord, event: CloudEvent): Promise<void> {
    await this.model
      .updateOne({ _id: assignmentId, orgId, endedAt: { $exists: false } }, withOutbox<AssignmentDocument>({ $set: { ...record, status: 'ended' } }, event))
      .exec();
  }

  async delete(orgId: string, assignmentId: string): Promise<void> {
    await this.model.deleteOne({ _id: assignmentId, orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }
}
