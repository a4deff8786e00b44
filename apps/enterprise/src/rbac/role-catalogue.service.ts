import { Injectable } from '@nestjs/common';
import { CustomRoleRepository } from './custom-role.repository.js';
import { BUILT_IN_ROLE_KEYS } from './permissions.js';
import { RoleNotFoundError } from './rbac.errors.js';

/** Resolves role keys: built-in ones from code, custom ones from the organization's roles. */
@Injectable()
export class RoleCatalogue {
  constructor(private readonly customRoles: CustomRoleRepository) {}

  async assertRolesExist(orgId: string, keys: string[]): Promise<void> {
    const custom = [...new Set(keys.filter((key) => !BUILT_IN_ROLE_KEYS.has(key)))];
    if (custom.length === 0) return;
    const found = new Set((await this.customRoles.findByKeys(orgId, custom)).map((role) => role.key));
    const missing = custom.find((key) => !found.has(key));
    if (missing) throw new RoleNotFoundError(missing);
  }
}
