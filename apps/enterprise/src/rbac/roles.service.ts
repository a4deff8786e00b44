import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { TenantCaller } from '../common/caller.js';
import { assertFresh } from '../common/etag.js';
import { writeOptimistically } from '../common/optimistic-write.js';
import type { Page } from '../common/pagination.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import { FeatureNotInPlanError } from '../organizations/organizations.errors.js';
import { PLANS } from '../organizations/plans.js';
import { CustomRoleRepository } from './custom-role.repository.js';
import type { CustomRoleDocument } from './custom-role.schema.js';
import type { CreateRoleDto, ListRolesQuery, RoleDto, UpdateRoleDto } from './dto/rbac.dto.js';
import { BUILT_IN_ROLE_KEYS, type Permission } from './permissions.js';
import { CustomRoleNotFoundError, RoleInUseError, RoleKeyTakenError } from './rbac.errors.js';
import { RoleBindingRepository } from './role-binding.repository.js';

function roleView(role: CustomRoleDocument): RoleDto {
  return { id: role._id, key: role.key, name: role.name, description: role.description, permissions: role.permissions, version: role.version };
}

/** Custom roles of an organization (a plan feature). Changing one changes policies: bump the version. */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: CustomRoleRepository,
    private readonly bindings: RoleBindingRepository,
    private readonly organizations: OrganizationRepository,
    private readonly audit: AuditService,
  ) {}

  async create(caller: TenantCaller, dto: CreateRoleDto): Promise<RoleDto> {
    const orgId = caller.org._id;
    const org = await this.organizations.findById(orgId);
    if (!org || !PLANS[org.tier].features.customRoles) throw new FeatureNotInPlanError('customRoles');
    if (BUILT_IN_ROLE_KEYS.has(dto.key)) throw new RoleKeyTakenError(dto.key);
    let role: CustomRoleDocument;
    try {
      role = await this.roles.insert({
        _id: randomUUID(),
        orgId,
        key: dto.key,
        name: dto.name,
        description: dto.description ?? '',
        permissions: [...new Set(dto.permissions)] as Permission[],
        version: 1,
        createdBy: caller.userId,
      });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new RoleKeyTakenError(dto.key);
      throw error;
    }
    await this.audit.record(caller, orgId, 'role.create', { type: 'role', id: role._id }, null, role);
    return roleView(role);
  }

  async list(caller: TenantCaller, query: ListRolesQuery): Promise<Page<RoleDto>> {
    const page = await this.roles.page(caller.org._id, { sort: query.sort ?? 'key', limit: query.limit, cursor: query.cursor });
    return { nextCursor: page.nextCursor, items: page.items.map(roleView) };
  }

  async get(caller: TenantCaller, roleId: string): Promise<RoleDto> {
    return roleView(await this.load(caller.org._id, roleId));
  }

  async update(caller: TenantCaller, roleId: string, dto: UpdateRoleDto, ifMatch: number | undefined): Promise<RoleDto> {
    const orgId = caller.org._id;
    const set: Partial<CustomRoleDocument> = {};
    if (dto.name !== undefined) set.name = dto.name;
    if (dto.description !== undefined) set.description = dto.description;
    if (dto.permissions !== undefined) set.permissions = [...new Set(dto.permissions)] as Permission[];
    const { role, updated } = await writeOptimistically(ifMatch, async () => {
      const role = await this.load(orgId, roleId);
      assertFresh(ifMatch, role.version);
      const updated = await this.roles.updateIfVersion(orgId, roleId, role.version, set);
      return updated && { role, updated };
    });
    if (dto.permissions !== undefined) await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'role.update', { type: 'role', id: roleId }, role, updated);
    return roleView(updated);
  }

  /** Retried when a concurrent deletion of the same role took the mark over before this one finished. */
  async delete(caller: TenantCaller, roleId: string): Promise<void> {
    const orgId = caller.org._id;
    const role = await writeOptimistically(undefined, () => this.deleteMarked(orgId, roleId));
    await this.organizations.bumpPolicyVersion(orgId);
    await this.audit.record(caller, orgId, 'role.delete', { type: 'role', id: roleId }, role, null);
  }

  /**
   * Mark, then check, then delete: a grant written before the check is seen by it (409), and one
   * written after it finds the mark when it re-checks its role and withdraws itself. No binding
   * outlives the role, so a later role reusing the key cannot hand its permissions to an old binding.
   * Null when another deletion took the mark over.
   */
  private async deleteMarked(orgId: string, roleId: string): Promise<CustomRoleDocument | null> {
    const deletionId = randomUUID();
    const role = await this.roles.markDeleting(orgId, roleId, deletionId);
    if (!role) throw new CustomRoleNotFoundError(roleId);
    if (await this.bindings.isRoleBound(orgId, role.key)) {
      await this.roles.unmarkDeleting(orgId, roleId, deletionId);
      throw new RoleInUseError(role.key);
    }
    return (await this.roles.deleteMarked(orgId, roleId, deletionId)) ? role : null;
  }

  private async load(orgId: string, roleId: string): Promise<CustomRoleDocument> {
    const role = await this.roles.findById(orgId, roleId);
    if (!role) throw new CustomRoleNotFoundError(roleId);
    return role;
  }
}
