import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ASSIGNMENT_MODEL, AssignmentSchema } from './assignments/assignment.schema.js';
import { AssignmentRepository } from './assignments/assignment.repository.js';
import { ProviderScheduleRepository } from './assignments/schedule/provider-schedule.repository.js';
import { PROVIDER_SCHEDULE_MODEL, ProviderScheduleSchema } from './assignments/schedule/provider-schedule.schema.js';
import { AUDIT_ENTRY_MODEL, AuditEntrySchema } from './audit/audit-entry.schema.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { InvalidationBus } from './common/invalidation-bus.js';
import { ReadCache } from './common/read-cache.js';
import { CLINIC_MODEL, ClinicSchema } from './clinics/clinic.schema.js';
import { ClinicRepository } from './clinics/clinic.repository.js';
import { ORGANIZATION_MODEL, OrganizationSchema } from './organizations/organization.schema.js';
import { OrganizationRepository } from './organizations/organization.repository.js';
import { AuthorizationService } from './rbac/authorization.service.js';
import { CUSTOM_ROLE_MODEL, CustomRoleSchema } from './rbac/custom-role.schema.js';
import { CustomRoleRepository } from './rbac/custom-role.repository.js';
import { PermissionGuard } from './rbac/permission.guard.js';
import { ROLE_BINDING_MODEL, RoleBindingSchema } from './rbac/role-binding.schema.js';
import { RoleBindingRepository } from './rbac/role-binding.repository.js';
import { RoleCatalogue } from './rbac/role-catalogue.service.js';

/** Models whose documents carry an embedded outbox, relayed to `events.enterprise`. */
export const OUTBOX_MODELS = [ORGANIZATION_MODEL, CLINIC_MODEL, ASSIGNMENT_MODEL, ROLE_BINDING_MODEL];

const repositories = [
  OrganizationRepository,
  ClinicRepository,
  AssignmentRepository,
  ProviderScheduleRepository,
  RoleBindingRepository,
  CustomRoleRepository,
  AuditRepository,
];

/**
 * Every model and repository, plus what every feature needs to decide and record access
 * (authorization, the permission guard, the audit trail). Features depend on repositories of
 * other aggregates (a clinic needs its organization's plan), so they share this one module.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ORGANIZATION_MODEL, schema: OrganizationSchema },
      { name: CLINIC_MODEL, schema: ClinicSchema },
      { name: ASSIGNMENT_MODEL, schema: AssignmentSchema },
      { name: PROVIDER_SCHEDULE_MODEL, schema: ProviderScheduleSchema },
      { name: ROLE_BINDING_MODEL, schema: RoleBindingSchema },
      { name: CUSTOM_ROLE_MODEL, schema: CustomRoleSchema },
      { name: AUDIT_ENTRY_MODEL, schema: AuditEntrySchema },
    ]),
  ],
  providers: [...repositories, InvalidationBus, ReadCache, AuthorizationService, PermissionGuard, RoleCatalogue, AuditService],
  exports: [...repositories, AuthorizationService, PermissionGuard, RoleCatalogue, AuditService],
})
export class StorageModule {}
