import { AppError, ConflictError, ForbiddenError, NotFoundError } from '@dentalos/core';

export class PermissionDeniedError extends ForbiddenError {
  constructor(permission: string, clinicId?: string | null) {
    super('PERMISSION_DENIED', `You lack the permission '${permission}'${clinicId ? ` for clinic '${clinicId}'` : ''}.`, { permission, ...(clinicId ? { clinicId } : {}) });
  }
}

/** Other tenants' ids look exactly like ids that do not exist. */
export class OrganizationNotFoundError extends NotFoundError {
  constructor(orgId: string) {
    super('Organization', orgId);
  }
}

export class RoleNotFoundError extends AppError {
  constructor(role: string) {
    super(422, 'ROLE_NOT_FOUND', `Role '${role}' is neither built in nor defined by this organization.`, { extensions: { role } });
  }
}

export class RoleInUseError extends AppError {
  constructor(role: string) {
    super(409, 'ROLE_IN_USE', `Role '${role}' is still bound to members or listed by clinics; revoke those first.`, { extensions: { role } });
  }
}

export class BindingExistsError extends AppError {
  constructor() {
    super(409, 'BINDING_EXISTS', 'The same role binding is already active.');
  }
}

export class RoleKeyTakenError extends AppError {
  constructor(key: string) {
    super(409, 'ROLE_KEY_TAKEN', `A role with key '${key}' already exists.`, { extensions: { key } });
  }
}

export class BindingNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Role binding', id);
  }
}

export class CustomRoleNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('Custom role', id);
  }
}

export class LastOwnerError extends ConflictError {
  constructor() {
    super('LAST_OWNER', 'This would leave the organization without an owner; grant the role to someone else first.');
  }
}
