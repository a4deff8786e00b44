import type { OrganizationDto } from './dto/organization.dto.js';
import { DEFAULT_SETTINGS, type OrganizationDocument } from './organization.schema.js';
import { PLANS } from './plans.js';

/** API shape of an organization: limits and features come from its tier. */
export function organizationView(org: OrganizationDocument): OrganizationDto {
  const plan = PLANS[org.tier];
  return {
    id: org._id,
    name: org.name,
    slug: org.slug,
    status: org.status,
    tier: org.tier,
    limits: { maxActiveClinics: plan.maxActiveClinics, maxActiveProviders: plan.maxActiveProviders },
    features: { ...plan.features },
    usage: { activeClinics: org.usage.activeClinics, activeProviders: org.usage.activeProviders },
    settings: { ...DEFAULT_SETTINGS, ...org.settings },
    version: org.version,
    createdBy: org.createdBy,
    createdAt: new Date(org.createdAt).toISOString(),
    updatedAt: new Date(org.updatedAt).toISOString(),
  };
}
