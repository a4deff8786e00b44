import { type NotFoundError, ValidationFailedError } from '@dentalos/core';
import { isUUID } from 'class-validator';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import { AssignmentNotFoundError } from '../assignments/assignments.errors.js';
import { ClinicRepository } from '../clinics/clinic.repository.js';
import { ClinicNotFoundError } from '../clinics/clinics.errors.js';
import type { GuardedRequest } from '../common/caller.js';
import { CustomRoleRepository } from './custom-role.repository.js';
import { BindingNotFoundError, CustomRoleNotFoundError } from './rbac.errors.js';
import { RoleBindingRepository } from './role-binding.repository.js';

interface Kind {
  exists(orgId: string, id: string): Promise<boolean>;
  notFound(id: string): NotFoundError;
}

/** A request's id of one kind, not yet looked up. */
interface NamedId {
  kind: Kind;
  id: string;
}

/** The id, or 400 naming the field when it is not a UUID (checked before any lookup). */
export function validUuid(field: string, value: unknown): string {
  if (typeof value !== 'string' || !isUUID(value, '4')) {
    throw new ValidationFailedError([{ field, constraint: 'isUuid', message: `${field} must be a UUID` }]);
  }
  return value;
}

/**
 * The ids a request names besides its organization (path ids, and the clinic a body targets),
 * and whether the organization holds them. Consulted only for a caller about to be refused, to
 * choose 404 (an id the organization does not hold, another tenant's included) over 403: allowed
 * requests never pay for these reads.
 */
export class NamedResources {
  private readonly byPathParam: ReadonlyMap<string, Kind>;
  private readonly clinic: Kind;

  constructor(clinics: ClinicRepository, assignments: AssignmentRepository, roles: CustomRoleRepository, bindings: RoleBindingRepository) {
    this.clinic = { exists: (orgId, id) => clinics.exists(orgId, id), notFound: (id) => new ClinicNotFoundError(id) };
    this.byPathParam = new Map<string, Kind>([
      ['clinicId', this.clinic],
      ['assignmentId', { exists: async (orgId, id) => (await assignments.findById(orgId, id)) !== null, notFound: (id) => new AssignmentNotFoundError(id) }],
      ['roleId', { exists: async (orgId, id) => (await roles.findById(orgId, id)) !== null, notFound: (id) => new CustomRoleNotFoundError(id) }],
      ['bindingId', { exists: async (orgId, id) => (await bindings.findById(orgId, id)) !== null, notFound: (id) => new BindingNotFoundError(id) }],
    ]);
  }

  /** Validates the named ids (400 when malformed, as the route's own validation would) before any read. */
  namedBy(request: GuardedRequest): NamedId[] {
    const named: NamedId[] = [];
    const params = (request.params ?? {}) as Record<string, unknown>;
    for (const [param, kind] of this.byPathParam) {
      if (params[param] !== undefined) named.push({ kind, id: validUuid(param, params[param]) });
    }
    const body = request.body as Record<string, unknown> | null | undefined;
    if (body && typeof body === 'object' && body.clinicId !== undefined && body.clinicId !== null) {
      named.push({ kind: this.clinic, id: validUuid('clinicId', body.clinicId) });
    }
    return named;
  }

  /** The not-found error for the first named id the organization does not hold, if any. */
  async firstUnknown(orgId: string, named: NamedId[]): Promise<NotFoundError | undefined> {
    const held = await Promise.all(named.map(({ kind, id }) => kind.exists(orgId, id)));
    const index = held.indexOf(false);
    return index === -1 ? undefined : named[index]!.kind.notFound(named[index]!.id);
  }
}
