import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import type { GuardedRequest } from '../common/caller.js';
import { ClinicRepository } from '../clinics/clinic.repository.js';
import type { ClinicDocument } from '../clinics/clinic.schema.js';
import { type OrganizationHead, OrganizationRepository } from '../organizations/organization.repository.js';
import { AuthorizationService } from './authorization.service.js';
import { CustomRoleRepository } from './custom-role.repository.js';
import { NamedResources, validUuid } from './named-resources.js';
import type { Permission } from './permissions.js';
import type { CompiledPolicy } from './policy.js';
import { OrganizationNotFoundError, PermissionDeniedError } from './rbac.errors.js';
import { REQUIRED_PERMISSION, type PermissionRequirement } from './require-permission.decorator.js';
import { RoleBindingRepository } from './role-binding.repository.js';

function pathId(request: GuardedRequest, name: string): string {
  return validUuid(name, (request.params as Record<string, string | undefined>)[name]);
}

/** What one request asks, gathered before the organization, clinic and policy are known. */
interface Question {
  request: GuardedRequest;
  permission: Permission;
  scope: PermissionRequirement['scope'];
  userId: string;
  orgId: string;
  clinicId?: string;
  /** A clinic read fetches the clinic alongside the head; it is only used once access is granted. */
  prefetch: boolean;
}

type Decision = boolean | Promise<boolean>;

/**
 * Decides every route of this service from its `@RequirePermission`. A caller without any
 * binding in the organization gets 404 for it (never 403), and a refused member gets 404 for any
 * id the organization does not hold (path ids, a body's clinic): ids of other tenants reveal nothing.
 * In-process cache hits settle synchronously, and Nest awaits nothing for a guard that returns a
 * boolean: the usual request goes through without a promise.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly requirements = new WeakMap<object, PermissionRequirement | undefined>();
  private readonly named: NamedResources;

  constructor(
    private readonly reflector: Reflector,
    private readonly organizations: OrganizationRepository,
    private readonly clinics: ClinicRepository,
    private readonly authorization: AuthorizationService,
    assignments: AssignmentRepository,
    roles: CustomRoleRepository,
    bindings: RoleBindingRepository,
  ) {
    this.named = new NamedResources(clinics, assignments, roles, bindings);
  }

  canActivate(context: ExecutionContext): Decision {
    const requirement = this.requirementFor(context.getHandler());
    // A route without a declared permission is a programming error: fail closed.
    if (!requirement) throw new Error(`route ${context.getClass().name}.${context.getHandler().name} declares no permission`);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const userId = request.user!.id;
    if (requirement.scope === 'none' || requirement.permission === null) {
      request.caller = { userId, requestId: String(request.id) };
      return true;
    }
    const orgId = pathId(request, 'orgId');
    const clinicId = requirement.scope === 'clinic' ? pathId(request, 'clinicId') : undefined;
    const question: Question = { request, permission: requirement.permission, scope: requirement.scope, userId, orgId, clinicId, prefetch: clinicId !== undefined && request.method === 'GET' };
    const org = this.organizations.head(orgId);
    const clinic = question.prefetch ? this.clinics.findByIdCached(orgId, clinicId!) : undefined;
    if (org instanceof Promise || clinic instanceof Promise) {
      return Promise.all([org, clinic]).then(([loadedOrg, loadedClinic]) => this.inOrganization(question, loadedOrg, loadedClinic));
    }
    return this.inOrganization(question, org, clinic);
  }

  private inOrganization(question: Question, org: OrganizationHead | null, clinic: ClinicDocument | null | undefined): Decision {
    if (!org) throw new OrganizationNotFoundError(question.orgId);
    const policy = this.authorization.policyFor(question.orgId, question.userId, org.policyVersion);
    if (policy instanceof Promise) return policy.then((loaded) => this.decide(question, org, loaded, clinic));
    return this.decide(question, org, policy, clinic);
  }

  private decide(question: Question, org: OrganizationHead, policy: CompiledPolicy, clinic: ClinicDocument | null | undefined): Decision {
    const { request, permission, userId, orgId, clinicId } = question;
    if (!policy.isMember) throw new OrganizationNotFoundError(orgId);
    const requestId = String(request.id);
    // Built as plain literals: spreading a base object here cost microseconds per request.
    request.caller = question.prefetch ? { userId, requestId, org, policy, clinicId, clinic } : { userId, requestId, org, policy, clinicId };
    // 'anywhere': the service then checks the exact clinic of the resource, or filters its list.
    const allowed = question.scope === 'anywhere' ? policy.allowsAnywhere(permission) : policy.check(permission, clinicId).allowed;
    return allowed || this.refuse(question);
  }

  /** 403 only when every id the request names is held by the organization; else 404 for the first unknown one. */
  private refuse({ request, permission, orgId, clinicId }: Question): never | Promise<never> {
    const denied = new PermissionDeniedError(permission, clinicId);
    const named = this.named.namedBy(request);
    if (named.length === 0) throw denied;
    return this.named.firstUnknown(orgId, named).then((unknown) => {
      throw unknown ?? denied;
    });
  }

  private requirementFor(handler: ReturnType<ExecutionContext['getHandler']>): PermissionRequirement | undefined {
    if (!this.requirements.has(handler)) this.requirements.set(handler, this.reflector.get<PermissionRequirement | undefined>(REQUIRED_PERMISSION, handler));
    return this.requirements.get(handler);
  }
}
