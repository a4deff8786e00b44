import { DEFAULT_SETTINGS, type OrganizationSettings } from '../organizations/organization.schema.js';
import type { ClinicDto, EffectiveSettingDto } from './dto/clinic.dto.js';
import type { ClinicDocument } from './clinic.schema.js';

/** Each setting resolved clinic → organization → default, with where the value came from. */
export function effectiveSettings(clinic: Partial<OrganizationSettings>, org: Partial<OrganizationSettings>): Record<string, EffectiveSettingDto> {
  const result: Record<string, EffectiveSettingDto> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof OrganizationSettings)[]) {
    if (clinic[key] !== undefined) result[key] = { value: clinic[key], source: 'clinic' };
    else if (org[key] !== undefined) result[key] = { value: org[key], source: 'organization' };
    else result[key] = { value: DEFAULT_SETTINGS[key], source: 'default' };
  }
  return result;
}

export function clinicView(clinic: ClinicDocument, orgSettings: Partial<OrganizationSettings>): ClinicDto {
  return {
    id: clinic._id,
    organizationId: clinic.orgId,
    name: clinic.name,
    code: clinic.code,
    status: clinic.status,
    timeZone: clinic.timeZone,
    address: clinic.address,
    contact: clinic.contact ?? {},
    openingHours: clinic.openingHours,
    closures: clinic.closures,
    providerRoles: clinic.providerRoles,
    settings: clinic.settings ?? {},
    effectiveSettings: effectiveSettings(clinic.settings ?? {}, orgSettings),
    version: clinic.version,
    createdAt: new Date(clinic.createdAt).toISOString(),
    updatedAt: new Date(clinic.updatedAt).toISOString(),
  };
}
