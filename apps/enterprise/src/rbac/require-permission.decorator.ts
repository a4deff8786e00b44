import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { PermissionGuard } from './permission.guard.js';
import type { Permission } from './permissions.js';

export const REQUIRED_PERMISSION = 'enterprise:requiredPermission';

export interface PermissionRequirement {
  /** null: any signed-in user (creating an organization, listing one's own organizations). */
  permission: Permission | null;
  /**
   * `organization`: decided at the org level. `clinic`: decided for the clinic named by the
   * `clinicId` path parameter. `anywhere`: allowed at the org or at some clinic; the service then
   * filters or checks the exact clinic of the resource.
   */
  scope: 'organization' | 'clinic' | 'anywhere' | 'none';
}

/** Every route of this service carries exactly one of these; the guard refuses routes without. */
export function RequirePermission(permission: Permission, scope: PermissionRequirement['scope'] = 'organization'): MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRED_PERMISSION, { permission, scope } satisfies PermissionRequirement), ApiBearerAuth('bearer'));
}

/** Routes any authenticated user may call; the guard still runs and records the caller. */
export function SignedIn(): MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRED_PERMISSION, { permission: null, scope: 'none' } satisfies PermissionRequirement), ApiBearerAuth('bearer'));
}

/** Controller-level: the guard runs after the global authentication guard. */
export const Guarded = (): ClassDecorator => UseGuards(PermissionGuard);
