import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@dentalos/core';
import { EVENT_TYPES, OutboxRelayService } from '@dentalos/events';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { Caller, TenantCaller } from '../common/caller.js';
import { assertFresh } from '../common/etag.js';
import { enterpriseEvent } from '../common/events.js';
import { writeOptimistically } from '../common/optimistic-write.js';
import type { Page } from '../common/pagination.js';
import { OWNER_ROLE } from '../rbac/permissions.js';
import { PermissionDeniedError } from '../rbac/rbac.errors.js';
import { RoleBindingRepository } from '../rbac/role-binding.repository.js';
import type { CreateOrganizationDto, ListOrganizationsQuery, OrganizationDto, UpdateOrganizationDto } from './dto/organization.dto.js';
import { OrganizationRepository } from './organization.repository.js';
import type { OrganizationDocument } from './organization.schema.js';
import { organizationView } from './organization.view.js';
import { type Excess, PlanDowngradeBlockedError, SlugTakenError } from './organizations.errors.js';
import { PLANS, type Tier } from './plans.js';

function isDuplicate(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

function excessFor(org: OrganizationDocument, tier: Tier): Excess[] {
  const plan = PLANS[tier];
  const exceeded: Excess[] = [];
  if (org.usage.activeClinics > plan.maxActiveClinics) exceeded.push({ resource: 'clinics', limit: plan.maxActiveClinics, current: org.usage.activeClinics });
  if (org.usage.activeProviders > plan.maxActiveProviders) exceeded.push({ resource: 'providers', limit: plan.maxActiveProviders, current: org.usage.activeProviders });
  return exceeded;
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly bindings: RoleBindingRepository,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelayService,
  ) {}

  /** The creator becomes the owner through an ordinary, revocable org-scoped binding. */
  async create(caller: Caller, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    const id = randomUUID();
    const tier = dto.tier ?? 'free';
    const document = {
      _id: id,
      name: dto.name,
      slug: dto.slug,
      status: 'active' as const,
      tier,
      settings: { ...dto.settings },
      usage: { activeClinics: 0, activeProviders: 0 },
      providerAssignments: {},
      ownerCount: 1,
      policyVersion: 1,
      version: 1,
      createdBy: caller.userId,
    };
    const created = enterpriseEvent(EVENT_TYPES.organizationCreated, `organizations/${id}`, { organizationId: id, name: dto.name, slug: dto.slug, tier, createdBy: caller.userId });
    try {
      await this.organizations.insert(document, created);
    } catch (error) {
      if (isDuplicate(error)) throw new SlugTakenError(dto.slug);
      throw error;
    }
    const bindingId = randomUUID();
    try {
      await this.bindings.insert(
        { _id: bindingId, orgId: id, userId: caller.userId, role: OWNER_ROLE, clinicId: null, effect: 'allow', status: 'active', createdBy: caller.userId },
        enterpriseEvent(EVENT_TYPES.rbacBindingChanged, `organizations/${id}/bindings/${bindingId}`, {
          organizationId: id,
          bindingId,
          userId: caller.userId,
          role: OWNER_ROLE,
          clinicId: null,
          effect: 'allow',
          change: 'granted',
        }),
      );
    } catch (error) {
      // Without its owner nobody could ever reach the organization: undo it.
      await this.organizations.deleteById(id);
      throw error;
    }
    const org = (await this.organizations.findById(id))!;
    await this.audit.record(caller, id, 'organization.create', { type: 'organization', id }, null, org);
    this.relay.kick();
    return organizationView(org);
  }

  async list(caller: Caller, query: ListOrganizationsQuery): Promise<Page<OrganizationDto>> {
    const orgIds = await this.bindings.orgIdsOf(caller.userId);
    const page = await this.organizations.page(orgIds, { status: query.status, tier: query.tier }, { sort: query.sort ?? 'name', limit: query.limit, cursor: query.cursor });
    return { nextCursor: page.nextCursor, items: page.items.map(organizationView) };
  }

  async get(caller: TenantCaller): Promise<OrganizationDto> {
    return organizationView(await this.load(caller.org._id));
  }

  /**
   * Tier changes are checked against current usage in the same conditional write, so a clinic
   * created concurrently cannot slip under a downgrade.
   */
  async update(caller: TenantCaller, dto: UpdateOrganizationDto, ifMatch: number | undefined): Promise<OrganizationDto> {
    return writeOptimistically(ifMatch, async () => {
      const org = await this.load(caller.org._id);
      assertFresh(ifMatch, org.version);
      const changesTier = dto.tier !== undefined && dto.tier !== org.tier;
      if (changesTier && !caller.policy.check('org:billing').allowed) throw new PermissionDeniedError('org:billing');
      const set: Record<string, unknown> = {};
      if (dto.name !== undefined) set.name = dto.name;
      if (dto.status !== undefined) set.status = dto.status;
      if (dto.settings !== undefined) set.settings = { ...dto.settings };
      let usageGuard = {};
      if (changesTier) {
        const exceeded = excessFor(org, dto.tier!);
        if (exceeded.length > 0) throw new PlanDowngradeBlockedError(dto.tier!, exceeded);
        set.tier = dto.tier;
        const plan = PLANS[dto.tier!];
        usageGuard = { 'usage.activeClinics': { $lte: plan.maxActiveClinics }, 'usage.activeProviders': { $lte: plan.maxActiveProviders } };
      }
      if (org.status === 'archived') set.status = 'archived';
      // Null: the version moved (another update) or usage grew past the new tier; the next round re-reads and tells which.
      const updated = await this.organizations.updateIfVersion(org._id, org.version, set, usageGuard);
      if (!updated) {
        if (changesTier && ifMatch !== undefined) {
          const exceeded = excessFor(await this.load(org._id), dto.tier!);
          if (exceeded.length > 0) throw new PlanDowngradeBlockedError(dto.tier!, exceeded);
        }
        return null;
      }
      await this.audit.record(caller, org._id, 'organization.update', { type: 'organization', id: org._id }, org, updated);
      return organizationView(updated);
    });
  }

  async archive(caller: TenantCaller, ifMatch: number | undefined): Promise<OrganizationDto> {
    return writeOptimistically(ifMatch, async () => {
      const org = await this.load(caller.org._id);
      assertFresh(ifMatch, org.version);
      const updated = await this.organizations.updateIfVersion(org._id, org.version, { status: 'archived', archivedAt: new Date() });
      if (!updated) return null;
      await this.audit.record(caller, org._id, 'organization.archive', { type: 'organization', id: org._id }, org, updated);
      return organizationView(updated);
    });
  }

  private async load(orgId: string): Promise<OrganizationDocument> {
    const org = await this.organizations.findById(orgId);
    if (!org) throw new NotFoundError('Organization', orgId);
    return org;
  }
}
