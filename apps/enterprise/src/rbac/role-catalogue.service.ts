import { Injectable } from '@nestjs/common';
import { CustomRoleRepository } from './custom-role.repository.js';
import { BUILT_IN_ROLE_KEYS } from './permissions.js';
import { RoleNotFoundError } from './rbac.errors.js';

/** Resolves role keys: built-in ones from code, custom ones from the organization's roles. */
@Injectable()
export class RoleCatalogue {
  constructor(private readonly customRoles: CustomRoleRepository) {}

  /** Roles being deleted count as missing: nothing new may reference them. */
  async assertRolesExist(orgId: string, keys: string[]): Promise<void> {
    const missing = await this.firstMissing(orgId, keys);
    if (missing) throw new RoleNotFoundError(missing);
  }

  async isGrantable(orgId: string, key: string): Promise<boolean> {
    return (await this.firstMissing(orgId, [key])) === undefined;
  }

  private async firstMissing(orgId: string, keys: string[]): Promise<string | undefined> {
    const custom = [...new Set(keys.filter((key) => !BUILT_IN_ROLE_KEYS.has(key)))];
    if (custom.length === 0) return undefined;
    const found = new Set((await this.customRoles.findGrantableByKeys(orgId, custom)).map((role) => role.key));
    return custom.find((key) => !found.has(key));
  }
}
