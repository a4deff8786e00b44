import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter } from 'mongoose';
import { OUTBOX_FIELDS } from '../common/outbox.js';
import { LockRepository } from '../common/lock.repository.js';
import { ReadCache } from '../common/read-cache.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import type { Visibility } from '../rbac/policy.js';
import { CLINIC_MODEL, type ClinicDocument } from './clinic.schema.js';

export interface ClinicFilter {
  status?: string;
  timeZone?: string;
  code?: string;
}

/** Every method takes the organization id: a clinic query without its tenant cannot be written. */
@Injectable()
export class ClinicRepository {
  constructor(
    @InjectModel(CLINIC_MODEL) private readonly model: Model<ClinicDocument>,
    private readonly cache: ReadCache,
    private readonly locks: LockRepository,
  ) {}

  async insert(document: Omit<ClinicDocument, 'createdAt' | 'updatedAt'>, event: CloudEvent): Promise<void> {
    await this.model.create({ ...document, ...outboxOnInsert(event) });
  }

  async findById(orgId: string, clinicId: string): Promise<ClinicDocument | null> {
    return this.model.findOne({ _id: clinicId, orgId }).lean<ClinicDocument>().exec();
  }

  /** For plain reads: served from the read cache, which every clinic write refreshes. */
  async findByIdCached(orgId: string, clinicId: string): Promise<ClinicDocument | null> {
    const key = `clinic:${orgId}:${clinicId}`;
    const cached = await this.cache.get<ClinicDocument>(key);
    if (cached) return cached;
    const clinic = await this.findById(orgId, clinicId);
    if (clinic) await this.cache.put(key, clinic.version, this.cacheable(clinic));
    return clinic;
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
    // Under the clinic's lock the version filter is a real compare-and-set, on FerretDB too.
    const updated = await this.locks.withLock(`clinic:${clinicId}`, () =>
      this.model
        .findOneAndUpdate({ _id: clinicId, orgId, version }, { $set: set, $inc: { version: 1 } }, { new: true })
        // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
        .select(OUTBOX_FIELDS)
        .lean<ClinicDocument>()
        .exec(),
    );
    if (updated) await this.cache.put(`clinic:${orgId}:${clinicId}`, updated.version, this.cacheable(updated));
    return updated;
  }

  private cacheable(clinic: ClinicDocument): ClinicDocument {
    const { outbox: _outbox, outboxAt: _outboxAt, ...rest } = clinic;
    return rest;
  }

  async delete(orgId: string, clinicId: string): Promise<void> {
    await this.model.deleteOne({ _id: clinicId, orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }
}
