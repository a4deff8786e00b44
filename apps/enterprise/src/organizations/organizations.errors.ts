import { AppError, ConflictError, ForbiddenError } from '@dentalos/core';
import type { LimitedResource } from './plans.js';

export class PlanLimitExceededError extends ForbiddenError {
  constructor(resource: LimitedResource, limit: number, current: number) {
    super('PLAN_LIMIT_EXCEEDED', `The subscription allows ${limit} active ${resource}; ${current} are in use.`, { resource, limit, current });
  }
}

export interface Excess {
  resource: LimitedResource;
  limit: number;
  current: number;
}

export class PlanDowngradeBlockedError extends ConflictError {
  constructor(tier: string, exceeded: Excess[]) {
    super('PLAN_DOWNGRADE_BLOCKED', `Current usage exceeds what tier '${tier}' allows; reduce it first.`, { tier, exceeded });
  }
}

export class FeatureNotInPlanError extends ForbiddenError {
  constructor(feature: string) {
    super('FEATURE_NOT_IN_PLAN', `The subscription does not include '${feature}'.`, { feature });
  }
}

export class SlugTakenError extends ConflictError {
  constructor(slug: string) {
    super('SLUG_TAKEN', `The slug '${slug}' is already used by another organization.`, { slug });
  }
}

export class OrganizationNotActiveError extends AppError {
  constructor(status: string) {
    super(409, 'ORGANIZATION_NOT_ACTIVE', `The organization is ${status}; this change needs an active organization.`, { extensions: { status } });
  }
}
