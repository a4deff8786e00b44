import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { OUTBOX_FIELDS } from '../common/outbox.js';
import { type MaybePromise, ReadCache } from '../common/read-cache.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { CLINIC_MODEL, type ClinicDocument } from './clinic.schema.js';

export interface ClinicFilter {
  status?: string;
  timeZone?: string;
  code?: string;
}

/** A written clinic as plain reads return it: the write asked for the outbox fields (see updateIfVersion). */
function withoutOutbox(clinic: ClinicDocument): ClinicDocument {
  const { outbox: _outbox, outboxAt: _outboxAt, ...rest } = clinic;
  return rest;
}

/** Every method takes the organization id: a clinic query without its tenant cannot be written. */
@Injectable()
export class ClinicRepository {
  constructor(
    @InjectModel(CLINIC_MODEL) private readonly model: Model<ClinicDocument>,
    private readonly cache: ReadCache,
  ) {}

  async insert(document: Omit<ClinicDocument, 'createdAt' | 'updatedAt'>, event: CloudEvent): Promise<void> {
    await this.model.create({ ...document, ...outboxOnInsert(event) });
  }

  async findById(orgId: string, clinicId: string): Promise<ClinicDocument | null> {
    return this.model.findOne({ _id: clinicId, orgId }).lean<ClinicDocument>().exec();
  }

  /** For plain reads: served from the read cache, which every clinic write refreshes. Never mutate the result. */
  findByIdCached(orgId: string, clinicId: string): MaybePromise<ClinicDocument | null> {
    return this.cache.read(`clinic:${orgId}:${clinicId}`, (clinic) => clinic.version, () => this.findById(orgId, clinicId));
  }

  async exists(orgId: string, clinicId: string): Promise<boolean> {
    return (await this.model.exists({ _id: clinicId, orgId }).exec()) !== null;
  }

  async page(orgId: string, visibility: Visibility, filter: ClinicFilter, request: PageRequest): Promise<Page<ClinicDocument>> {
    const query: QueryFilter<ClinicDocument> = { orgId };
    if (visibility.all) {
      if (visibility.except.size > 0) query._id = { $nin: [...visibility.except] };
    } else {
      query._id = { $in: [...visibility.only] };
    }
    if (filter.status) query.status = filter.status as ClinicDocument['status'];
    else query.status = { $ne: 'archived' };
    if (filter.timeZone) query.timeZone = filter.timeZone;
    if (filter.code) query.code = filter.code;
    return findPage(this.model, query, request);
  }

  async updateIfVersion(orgId: string, clinicId: string, version: number, set: Partial<ClinicDocument>): Promise<ClinicDocument | null> {
    // Compare-and-set on the version: of concurrent writers that read one version, exactly one matches.
    const updated = await this.model
      .findOneAndUpdate({ _id: clinicId, orgId, version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' })
      // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
      .select(OUTBOX_FIELDS)
      .lean<ClinicDocument>()
      .exec();
    if (!updated) return null;
    const clinic = withoutOutbox(updated);
    await this.cache.written(`clinic:${orgId}:${clinicId}`, clinic.version, clinic);
    return clinic;
  }

  /**
   * Last write wins, for a change that does not depend on what is stored: one unconditional
   * update of top-level fields, so concurrent writers never lose a race and never retry. The
   * clinic before comes back from the write itself and the clinic after follows from it exactly
   * (`updatedAt` is set here, not by Mongoose). Null: no such clinic.
   */
  async overwrite(orgId: string, clinicId: string, set: Partial<ClinicDocument>): Promise<{ before: ClinicDocument; after: ClinicDocument } | null> {
    const updatedAt = new Date();
    const stored = await this.model
      .findOneAndUpdate({ _id: clinicId, orgId }, { $set: { ...set, updatedAt }, $inc: { version: 1 } }, { returnDocument: 'before', timestamps: false })
      .select(OUTBOX_FIELDS)
      .lean<ClinicDocument>()
      .exec();
    if (!stored) return null;
    const before = withoutOutbox(stored);
    const after: ClinicDocument = { ...before, ...set, version: before.version + 1, updatedAt };
    await this.cache.written(`clinic:${orgId}:${clinicId}`, after.version, after);
    return { before, after };
  }

  async delete(orgId: string, clinicId: string): Promise<void> {
    await this.model.deleteOne({ _id: clinicId, orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }
}
