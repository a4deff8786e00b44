import { Injectable } from '@nestjs/common';
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
import { type Grant, shows } from './policy.js';
import { BindingExistsError, BindingNotFoundError, LastOwnerError, PermissionDeniedError, RoleNotFoundError } from './rbac.errors.js';
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

/** How a binding counts towards the organization's owners: only org-wide owner grants and denies do. */
function ownership(binding: Pick<RoleBindingDocument, 'role' | 'clinicId' | 'effect'>): number {
  if (binding.role !== OWNER_ROLE || binding.clinicId !== null) return 0;
  return binding.effect === 'allow' ? 1 : -1;
}

function revokedEvent(binding: RoleBindingDocument) {
  const { orgId, _id: bindingId } = binding;
  return enterpriseEvent(EVENT_TYPES.rbacBindingChanged, `organizations/${orgId}/bindings/${bindingId}`, {
    organizationId: orgId,
    bindingId,
    userId: binding.userId,
    role: binding.role,
    clinicId: binding.clinicId,
    effect: binding.effect,
    change: 'revoked',
  });
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
   * replica's next request misses its cache and compiles the new policy. A retry after a failed
   * bump finds the binding active: it bumps again before answering 409, so the grant takes effect.
   */
  async grant(caller: TenantCaller, dto: CreateBindingDto): Promise<BindingDto> {
    const orgId = caller.org._id;
    await this.roles.assertRolesExist(orgId, [dto.role]);
    if (dto.clinicId && !(await this.clinics.exists(orgId, dto.clinicId))) throw new ClinicNotFoundError(dto.clinicId);
    const id = randomUUID();
    const binding = { orgId, userId: dto.userId, role: dto.role, clinicId: dto.clinicId ?? null, effect: dto.effect ?? 'allow' } as const;
    const event = enterpriseEvent(EVENT_TYPES.rbacBindingChanged, `organizations/${orgId}/bindings/${id}`, { organizationId: orgId, bindingId: id, ...binding, change: 'granted' });
    let created: RoleBindingDocument;
    try {
      created = await this.changeOwners(orgId, ownership(binding), () => this.bindings.insert({ _id: id, ...binding, status: 'active', createdBy: caller.userId }, event));
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      await this.organizations.bumpPolicyVersion(orgId);
      throw new BindingExistsError();
    }
    await this.withdrawIfRoleDeleting(caller, created);
    await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'binding.grant', { type: 'binding', id }, null, created);
    this.relay.kick(ROLE_BINDING_MODEL, id);
    return bindingView(created);
  }

  /**
   * Idempotent: revoking a binding that is already revoked answers it again and bumps the policy
   * version again. The bump follows the revoke in a separate write; if it failed, the binding is no
   * longer active and a 404 on the retry would leave cached policies granting the revoked access.
   */
  async revoke(caller: TenantCaller, bindingId: string): Promise<BindingDto> {
    const orgId = caller.org._id;
    const binding = await this.bindings.findById(orgId, bindingId);
    if (!binding) throw new BindingNotFoundError(bindingId);
    if (binding.status === 'revoked') return this.confirmRevoked(orgId, binding);
    const revoked = await this.changeOwners(orgId, -ownership(binding), () => this.bindings.revoke(orgId, bindingId, caller.userId, revokedEvent(binding)));
    // A concurrent revoke of the same binding won: the outcome asked for is there all the same.
    if (!revoked) return this.confirmRevoked(orgId, (await this.bindings.findById(orgId, bindingId)) ?? binding);
    await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'binding.revoke', { type: 'binding', id: bindingId }, binding, revoked);
    this.relay.kick(ROLE_BINDING_MODEL, bindingId);
    return bindingView(revoked);
  }

  /** Clinic-scoped readers see the bindings on their clinics only, no org-wide one. */
  async list(caller: TenantCaller, query: ListBindingsQuery): Promise<Page<BindingDto>> {
    const page = await this.bindings.page(
      caller.org._id,
      caller.policy.visibility('rbac:read'),
      { userId: query.userId, role: query.role, clinicId: query.clinicId, status: query.status },
      { sort: query.sort ?? 'createdAt', limit: query.limit, cursor: query.cursor },
    );
    return { nextCursor: page.nextCursor, items: page.items.map(bindingView) };
  }

  async authorize(caller: TenantCaller, dto: AuthorizeDto): Promise<AuthorizationDecisionDto> {
    // Org-wide grants would allow any clinic id: another tenant's clinic must look unknown instead.
    if (dto.clinicId && !(await this.clinics.exists(caller.org._id, dto.clinicId))) throw new ClinicNotFoundError(dto.clinicId);
    if (!caller.policy.check('rbac:read', dto.clinicId).allowed) throw new PermissionDeniedError('rbac:read', dto.clinicId);
    const policy = await this.authorization.policyFor(caller.org._id, dto.userId, caller.org.policyVersion);
    const decision = policy.check(dto.action as Permission, dto.clinicId);
    return {
      decision: decision.allowed ? 'allow' : 'deny',
      reason: decision.reason,
      bindings: decision.decidedBy.map(deciding),
      policyVersion: caller.org.policyVersion,
    };
  }

  /** As far as the caller may read members: a clinic-scoped reader sees the member at those clinics only. */
  async effectivePermissions(caller: TenantCaller, userId: string): Promise<EffectivePermissionsDto> {
    const policy = await this.authorization.policyFor(caller.org._id, userId, caller.org.policyVersion);
    const seen = caller.policy.visibility('member:read');
    const effective = policy.effective(PERMISSIONS, seen);
    const bindings = policy.grants.filter((grant) => shows(seen, grant.clinicId)).map(deciding);
    const visible = seen.all || bindings.length > 0 || Object.keys(effective.clinics).length > 0;
    // A user who is not a member, or not one where the caller may look, is indistinguishable from an unknown id.
    if (!policy.isMember || !visible) throw new BindingNotFoundError(`member ${userId}`);
    return { userId, ...effective, bindings };
  }

  /**
   * A role deletion marks the role before checking that nobody holds it, so a grant that got past
   * that check finds the mark here and takes itself back: a binding never outlives its role.
   * Custom roles are never the owner role, so the owner count is not concerned.
   */
  private async withdrawIfRoleDeleting(caller: TenantCaller, binding: RoleBindingDocument): Promise<void> {
    if (await this.roles.isGrantable(binding.orgId, binding.role)) return;
    await this.bindings.revoke(binding.orgId, binding._id, caller.userId, revokedEvent(binding));
    // A policy compiled meanwhile by another request may hold the binding: make every replica recompile.
    await this.organizations.bumpPolicyVersion(binding.orgId);
    this.relay.kick(ROLE_BINDING_MODEL, binding._id);
    throw new RoleNotFoundError(binding.role);
  }

  private async confirmRevoked(orgId: string, binding: RoleBindingDocument): Promise<BindingDto> {
    await this.organizations.bumpPolicyVersion(orgId);
    return bindingView(binding);
  }

  /**
   * Applies a binding write that moves the owner count by `change`. Losing an owner is taken from
   * the count before the write, conditionally, so concurrent revokes or denies cannot remove the
   * last owner; it is given back if the write fails or finds nothing to change. Gaining one is
   * counted after the write: the count may lag behind the real owners, never run ahead of them.
   */
  private async changeOwners<T>(orgId: string, change: number, write: () => Promise<T>): Promise<T> {
    if (change > 0) {
      const written = await write();
      if (written) await this.organizations.addOwner(orgId);
      return written;
    }
    if (change === 0) return write();
    await this.releaseOwner(orgId);
    let written: T | undefined;
    try {
      written = await write();
      return written;
    } finally {
      if (!written) await this.organizations.addOwner(orgId);
    }
  }

  private async releaseOwner(orgId: string): Promise<void> {
    if (await this.organizations.releaseOwner(orgId)) return;
    const initialized = await this.organizations.initOwnerCount(orgId, await this.bindings.ownerBalance(orgId, OWNER_ROLE));
    if (initialized && (await this.organizations.releaseOwner(orgId))) return;
    throw new LastOwnerError();
  }
}
