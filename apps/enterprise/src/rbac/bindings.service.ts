import { Injectable } from '@nestjs/common';
import { ConflictError } from '@dentalos/core';
import { EVENT_TYPES, OutboxRelayService } from '@dentalos/events';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { ClinicRepository } from '../clinics/clinic.repository.js';
import { ClinicNotFoundError } from '../clinics/clinics.errors.js';
import type { TenantCaller } from '../common/caller.js';
import { enterpriseEvent } from '../common/events.js';
import type { Page } from '../common/pagination.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import { AuthorizationService } from './authorization.service.js';
import type { AuthorizationDecisionDto, AuthorizeDto, BindingDto, CreateBindingDto, EffectivePermissionsDto, ListBindingsQuery } from './dto/rbac.dto.js';
import { OWNER_ROLE, PERMISSIONS, type Permission } from './permissions.js';
import type { Grant } from './policy.js';
import { BindingExistsError, BindingNotFoundError } from './rbac.errors.js';
import { RoleBindingRepository } from './role-binding.repository.js';
import { ROLE_BINDING_MODEL, type RoleBindingDocument } from './role-binding.schema.js';
import { RoleCatalogue } from './role-catalogue.service.js';

function bindingView(binding: RoleBindingDocument): BindingDto {
  return {
    id: binding._id,
    userId: binding.userId,
    role: binding.role,
    clinicId: binding.clinicId ?? null,
    effect: binding.effect,
    status: binding.status,
    createdBy: binding.createdBy,
    createdAt: new Date(binding.createdAt).toISOString(),
    ...(binding.revokedAt ? { revokedAt: new Date(binding.revokedAt).toISOString() } : {}),
  };
}

const deciding = (grant: Grant) => ({ bindingId: grant.bindingId, role: grant.role, clinicId: grant.clinicId, effect: grant.effect });

@Injectable()
export class BindingsService {
  constructor(
    private readonly bindings: RoleBindingRepository,
    private readonly clinics: ClinicRepository,
    private readonly organizations: OrganizationRepository,
    private readonly roles: RoleCatalogue,
    private readonly authorization: AuthorizationService,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelayService,
  ) {}

  /**
   * The binding is written first, then the policy version is bumped: from that moment every
   * replica's next request misses its cache and compiles the new policy.
   */
  async grant(caller: TenantCaller, dto: CreateBindingDto): Promise<BindingDto> {
    const orgId = caller.org._id;
    await this.roles.assertRolesExist(orgId, [dto.role]);
    if (dto.clinicId && !(await this.clinics.exists(orgId, dto.clinicId))) throw new ClinicNotFoundError(dto.clinicId);
    const id = randomUUID();
    const binding = { orgId, userId: dto.userId, role: dto.role, clinicId: dto.clinicId ?? null, effect: dto.effect ?? 'allow' } as const;
    let created: RoleBindingDocument;
    try {
      created = await this.bindings.insert(
        { _id: id, ...binding, status: 'active', createdBy: caller.userId },
        enterpriseEvent(EVENT_TYPES.rbacBindingChanged, `organizations/${orgId}/bindings/${id}`, { organizationId: orgId, bindingId: id, ...binding, change: 'granted' }),
      );
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new BindingExistsError();
      throw error;
    }
    await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'binding.grant', { type: 'binding', id }, null, created);
    this.relay.kick(ROLE_BINDING_MODEL, id);
    return bindingView(created);
  }

  async revoke(caller: TenantCaller, bindingId: string): Promise<BindingDto> {
    const orgId = caller.org._id;
    const binding = await this.bindings.findById(orgId, bindingId);
    if (!binding || binding.status !== 'active') throw new BindingNotFoundError(bindingId);
    if (binding.role === OWNER_ROLE && binding.clinicId === null && binding.effect === 'allow') await this.assertAnotherOwner(orgId, binding);
    const event = enterpriseEvent(EVENT_TYPES.rbacBindingChanged, `organizations/${orgId}/bindings/${bindingId}`, {
      organizationId: orgId,
      bindingId,
      userId: binding.userId,
      role: binding.role,
      clinicId: binding.clinicId,
      effect: binding.effect,
      change: 'revoked',
    });
    const revoked = await this.bindings.revoke(orgId, bindingId, caller.userId, event);
    if (!revoked) throw new BindingNotFoundError(bindingId);
    await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'binding.revoke', { type: 'binding', id: bindingId }, binding, revoked);
    this.relay.kick(ROLE_BINDING_MODEL, bindingId);
    return bindingView(revoked);
  }

  async list(caller: TenantCaller, query: ListBindingsQuery): Promise<Page<BindingDto>> {
    const page = await this.bindings.page(
      caller.org._id,
      { userId: query.userId, role: query.role, clinicId: query.clinicId, status: query.status },
      { sort: query.sort ?? 'createdAt', limit: query.limit, cursor: query.cursor },
    );
    return { nextCursor: page.nextCursor, items: page.items.map(bindingView) };
  }

  async authorize(caller: TenantCaller, dto: AuthorizeDto): Promise<AuthorizationDecisionDto> {
    const policy = await this.authorization.policyFor(caller.org._id, dto.userId, caller.org.policyVersion);
    const decision = policy.check(dto.action as Permission, dto.clinicId);
    return {
      decision: decision.allowed ? 'allow' : 'deny',
      reason: decision.reason,
      bindings: decision.decidedBy.map(deciding),
      policyVersion: caller.org.policyVersion,
    };
  }

  async effectivePermissions(caller: TenantCaller, userId: string): Promise<EffectivePermissionsDto> {
    const policy = await this.authorization.policyFor(caller.org._id, userId, caller.org.policyVersion);
    // A user who is not a member is indistinguishable from an unknown id.
    if (!policy.isMember) throw new BindingNotFoundError(`member ${userId}`);
    return { userId, ...policy.effective(PERMISSIONS), bindings: policy.grants.map(deciding) };
  }

  /** An organization must keep at least one owner, or nobody could manage it again. */
  private async assertAnotherOwner(orgId: string, binding: RoleBindingDocument): Promise<void> {
    const owners = await this.bindings.page(orgId, { role: OWNER_ROLE, status: 'active' }, { sort: 'createdAt', limit: 100 });
    const others = owners.items.filter((other) => other._id !== binding._id && other.clinicId === null && other.effect === 'allow');
    if (others.length === 0) throw new ConflictError('LAST_OWNER', 'This is the last owner of the organization; grant the role to someone else first.');
  }
}
