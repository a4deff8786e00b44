import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '@dentalos/auth';
import type { ClinicDocument } from '../clinics/clinic.schema.js';
import type { OrganizationHead } from '../organizations/organization.repository.js';
import type { CompiledPolicy } from '../rbac/policy.js';

/** Who is acting, in which organization, with which compiled policy: what services need. */
export interface Caller {
  userId: string;
  requestId: string;
  /** Present on organization-scoped routes (set by the permission guard). */
  org?: OrganizationHead;
  policy?: CompiledPolicy;
  /** The `clinicId` path id of a clinic-scoped route, validated by the guard. */
  clinicId?: string;
  /**
   * The clinic of a clinic-scoped read, fetched by the guard together with the organization head
   * (one cache round trip); null when it does not exist in this organization.
   */
  clinic?: ClinicDocument | null;
}

export interface TenantCaller extends Caller {
  org: OrganizationHead;
  policy: CompiledPolicy;
}

export type GuardedRequest = AuthenticatedRequest & { caller?: Caller };

export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<GuardedRequest>().caller!;
});

/** The same, for routes under /organizations/{orgId}: org and policy are always there. */
export const TenantCallerParam = createParamDecorator((_data: unknown, context: ExecutionContext): TenantCaller => {
  return context.switchToHttp().getRequest<GuardedRequest>().caller as TenantCaller;
});
