import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type CloudEvent, outboxOnInsert } from '@dentalos/events';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { OUTBOX_FIELDS } from '../common/outbox.js';
import { type MaybePromise, ReadCache } from '../common/read-cache.js';
import { findPage, type Page, type PageRequest } from '../common/pagination.js';
import { ORGANIZATION_MODEL, type OrganizationDocument, providerAssignmentField, providerAssignmentKey } from './organization.schema.js';
import { PLANS, type Tier } from './plans.js';

/** The fields every tenant request needs (authorization, inherited settings); kept small and cached. */
export type OrganizationHead = Pick<OrganizationDocument, '_id' | 'status' | 'policyVersion' | 'version' | 'settings'>;

const HEAD_FIELDS = { status: 1, policyVersion: 1, version: 1, settings: 1 };

/** Both counters only grow, so their sum orders every state of the head. */
const stampOf = (org: Pick<OrganizationDocument, 'version' | 'policyVersion'>) => org.version + org.policyVersion;

@Injectable()
export class OrganizationRepository {
  constructor(
    @InjectModel(ORGANIZATION_MODEL) private readonly model: Model<OrganizationDocument>,
    private readonly cache: ReadCache,
  ) {}

  async insert(document: Omit<OrganizationDocument, 'createdAt' | 'updatedAt'>, event: CloudEvent): Promise<void> {
    await this.model.create({ ...document, ...outboxOnInsert(event) });
  }

  /** Read on every tenant request, so served from the read cache, which every change of the head refreshes. */
  head(orgId: string): MaybePromise<OrganizationHead | null> {
    return this.cache.read(`org:${orgId}`, stampOf, () => this.model.findById(orgId, HEAD_FIELDS).lean<OrganizationHead>().exec());
  }

  private async refreshHead(org: OrganizationDocument | null): Promise<void> {
    if (!org) return;
    const { _id, status, policyVersion, version, settings } = org;
    await this.cache.written(`org:${_id}`, stampOf(org), { _id, status, policyVersion, version, settings });
  }

  async findById(orgId: string): Promise<OrganizationDocument | null> {
    return this.model.findById(orgId).lean<OrganizationDocument>().exec();
  }

  async page(orgIds: string[], filter: { status?: string; tier?: string }, request: PageRequest): Promise<Page<OrganizationDocument>> {
    const query: QueryFilter<OrganizationDocument> = { _id: { $in: orgIds } };
    if (filter.status) query.status = filter.status as OrganizationDocument['status'];
    else query.status = { $ne: 'archived' };
    if (filter.tier) query.tier = filter.tier as Tier;
    return findPage(this.model, query, request);
  }

  /** Optimistic update: applies only if nobody changed the document since `version` (null: lost the race). */
  async updateIfVersion(
    orgId: string,
    version: number,
    set: Record<string, unknown>,
    extraFilter: QueryFilter<OrganizationDocument> = {},
  ): Promise<OrganizationDocument | null> {
    const update: UpdateQuery<OrganizationDocument> = { $set: set, $inc: { version: 1 } };
    const updated = await this.model
      .findOneAndUpdate({ _id: orgId, version, ...extraFilter }, update, { returnDocument: 'after' })
      // FerretDB cannot project in findAndModify; asking for the hidden outbox fields removes the projection.
      .select(OUTBOX_FIELDS)
      .lean<OrganizationDocument>()
      .exec();
    await this.refreshHead(updated);
    return updated;
  }

  /**
   * Takes one active-clinic slot if the tier still allows it: the limit is in the filter and the
   * counter moves by `$inc` in the same single-document update, so parallel creations on any
   * number of replicas can never take more slots than the plan has.
   */
  async reserveClinicSlot(orgId: string, tier: Tier): Promise<boolean> {
    const result = await this.model
      .updateOne({ _id: orgId, status: 'active', tier, 'usage.activeClinics': { $lt: PLANS[tier].maxActiveClinics } }, { $inc: { 'usage.activeClinics': 1 } })
      .exec();
    return result.modifiedCount === 1;
  }

  async releaseClinicSlot(orgId: string): Promise<void> {
    await this.model.updateOne({ _id: orgId, 'usage.activeClinics': { $gt: 0 } }, { $inc: { 'usage.activeClinics': -1 } }).exec();
  }

  /**
   * Same idea for providers, with a count of active assignments per provider so that every step
   * is one conditional update of this document: the first assignment of a provider takes a plan
   * slot, later ones only count, and ending the last one gives the slot back. A check of the
   * assignments collection followed by a write here could interleave with a new assignment and
   * leave its provider uncounted. Null: the organization is no longer active on `tier`.
   */
  async countProviderAssignment(orgId: string, tier: Tier, providerId: string): Promise<'counted' | 'full' | null> {
    const key = providerAssignmentKey(providerId);
    for (;;) {
      const further = await this.model.updateOne({ _id: orgId, status: 'active', tier, [key]: { $gte: 1 } }, { $inc: { [key]: 1 } }).exec();
      if (further.modifiedCount === 1) return 'counted';
      const first = await this.model
        .updateOne(
          { _id: orgId, status: 'active', tier, [key]: { $exists: false }, 'usage.activeProviders': { $lt: PLANS[tier].maxActiveProviders } },
          { $set: { [key]: 1 }, $inc: { 'usage.activeProviders': 1 } },
        )
        .exec();
      if (first.modifiedCount === 1) return 'counted';
      // Neither matched: the plan is full, the organization changed, or the provider's last assignment ended in between.
      const org = await this.model.findOne({ _id: orgId, status: 'active', tier }, { usage: 1, [key]: 1 }).lean<OrganizationDocument>().exec();
      if (!org) return null;
      if (!org.providerAssignments?.[providerAssignmentField(providerId)] && org.usage.activeProviders >= PLANS[tier].maxActiveProviders) return 'full';
    }
  }

  async uncountProviderAssignment(orgId: string, providerId: string): Promise<void> {
    const key = providerAssignmentKey(providerId);
    for (;;) {
      const last = await this.model.updateOne({ _id: orgId, [key]: 1 }, { $unset: { [key]: '' }, $inc: { 'usage.activeProviders': -1 } }).exec();
      if (last.modifiedCount === 1) return;
      const other = await this.model.updateOne({ _id: orgId, [key]: { $gt: 1 } }, { $inc: { [key]: -1 } }).exec();
      if (other.modifiedCount === 1) return;
      // Neither matched: nothing to give back, or the count moved between the two updates.
      if (!(await this.model.exists({ _id: orgId, [key]: { $gte: 1 } }).exec())) return;
    }
  }

  /**
   * Takes one owner off the count unless it is the last: the condition and the decrement are one
   * single-document update, so two owners revoking each other at once cannot both pass. False:
   * the last owner, or a count never initialized (see `initOwnerCount`).
   */
  async releaseOwner(orgId: string): Promise<boolean> {
    const result = await this.model.updateOne({ _id: orgId, ownerCount: { $gt: 1 } }, { $inc: { ownerCount: -1 } }).exec();
    return result.modifiedCount === 1;
  }

  async addOwner(orgId: string): Promise<void> {
    await this.model.updateOne({ _id: orgId, ownerCount: { $exists: true } }, { $inc: { ownerCount: 1 } }).exec();
  }

  /** Organizations created before the count existed get it once, from their bindings (false: already set). */
  async initOwnerCount(orgId: string, count: number): Promise<boolean> {
    const result = await this.model.updateOne({ _id: orgId, ownerCount: { $exists: false } }, { $set: { ownerCount: count } }).exec();
    return result.modifiedCount === 1;
  }

  async bumpPolicyVersion(orgId: string): Promise<void> {
    const org = await this.model
      .findOneAndUpdate({ _id: orgId }, { $inc: { policyVersion: 1 } }, { returnDocument: 'after' })
      .select(OUTBOX_FIELDS)
      .lean<OrganizationDocument>()
      .exec();
    await this.refreshHead(org);
  }

  async deleteById(orgId: string): Promise<void> {
    await this.model.deleteOne({ _id: orgId }).exec();
  }

  async countByStatus(): Promise<{ _id: string; count: number }[]> {
    return this.model.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
  }

}
