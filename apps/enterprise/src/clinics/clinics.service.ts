import { Injectable } from '@nestjs/common';
import { EVENT_TYPES, OutboxRelayService } from '@dentalos/events';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { TenantCaller } from '../common/caller.js';
import { assertFresh } from '../common/etag.js';
import { enterpriseEvent } from '../common/events.js';
import { writeOptimistically } from '../common/optimistic-write.js';
import type { Page } from '../common/pagination.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import type { OrganizationDocument, OrganizationSettings } from '../organizations/organization.schema.js';
import { OrganizationNotActiveError, PlanLimitExceededError } from '../organizations/organizations.errors.js';
import { PLANS } from '../organizations/plans.js';
import { DEFAULT_PROVIDER_ROLES } from '../rbac/permissions.js';
import { OrganizationNotFoundError } from '../rbac/rbac.errors.js';
import { RoleCatalogue } from '../rbac/role-catalogue.service.js';
import { ClinicRepository } from './clinic.repository.js';
import { CLINIC_MODEL, type ClinicDocument } from './clinic.schema.js';
import { clinicView } from './clinic.view.js';
import { ClinicCodeTakenError, ClinicNotFoundError, InvalidScheduleError } from './clinics.errors.js';
import type { ClinicDto, CreateClinicDto, ListClinicsQuery, UpdateClinicDto } from './dto/clinic.dto.js';
import type { ClosureDto, OpeningHoursDto } from './dto/clinic-parts.dto.js';

function checkCalendar(openingHours: OpeningHoursDto[] = [], closures: ClosureDto[] = []): void {
  openingHours.forEach((hours, index) => {
    if (hours.closes <= hours.opens) throw new InvalidScheduleError(`openingHours[${index}].closes`, 'closes must be later than opens');
  });
  closures.forEach((closure, index) => {
    if (closure.to < closure.from) throw new InvalidScheduleError(`closures[${index}].to`, 'to must not be before from');
  });
}

const NO_SETTINGS: Partial<OrganizationSettings> = Object.freeze({});

@Injectable()
export class ClinicsService {
  private readonly views = new WeakMap<ClinicDocument, { settings: Partial<OrganizationSettings>; view: ClinicDto }>();

  constructor(
    private readonly clinics: ClinicRepository,
    private readonly organizations: OrganizationRepository,
    private readonly roles: RoleCatalogue,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelayService,
  ) {}

  /** Takes a plan slot first (atomic on the organization), gives it back if the insert fails. */
  async create(caller: TenantCaller, dto: CreateClinicDto): Promise<ClinicDto> {
    checkCalendar(dto.openingHours, dto.closures);
    const orgId = caller.org._id;
    const providerRoles = dto.providerRoles ?? DEFAULT_PROVIDER_ROLES;
    await this.roles.assertRolesExist(orgId, providerRoles);
    const org = await this.reserveClinicSlot(orgId);
    const id = randomUUID();
    const document: Omit<ClinicDocument, 'createdAt' | 'updatedAt'> = {
      _id: id,
      orgId,
      name: dto.name,
      code: dto.code,
      status: 'active',
      timeZone: dto.timeZone,
      address: { ...dto.address },
      contact: { ...dto.contact },
      openingHours: (dto.openingHours ?? []).map((hours) => ({ ...hours })),
      closures: (dto.closures ?? []).map((closure) => ({ ...closure })),
      providerRoles: [...new Set(providerRoles)],
      settings: { ...dto.settings },
      version: 1,
      createdBy: caller.userId,
    };
    const event = enterpriseEvent(EVENT_TYPES.clinicCreated, `organizations/${orgId}/clinics/${id}`, {
      organizationId: orgId,
      clinicId: id,
      name: dto.name,
      code: dto.code,
      timeZone: dto.timeZone,
    });
    try {
      await this.clinics.insert(document, event);
    } catch (error) {
      await this.organizations.releaseClinicSlot(orgId);
      if ((error as { code?: number }).code === 11000) throw new ClinicCodeTakenError(dto.code);
      throw error;
    }
    const clinic = (await this.clinics.findById(orgId, id))!;
    await this.audit.record(caller, orgId, 'clinic.create', { type: 'clinic', id }, null, clinic);
    this.relay.kick(CLINIC_MODEL, id);
    return clinicView(clinic, org.settings);
  }

  async list(caller: TenantCaller, query: ListClinicsQuery): Promise<Page<ClinicDto>> {
    const org = await this.org(caller.org._id);
    const page = await this.clinics.page(
      org._id,
      caller.policy.visibility('clinic:read'),
      { status: query.status, timeZone: query.timeZone, code: query.code },
      { sort: query.sort ?? 'name', limit: query.limit, cursor: query.cursor },
    );
    return { nextCursor: page.nextCursor, items: page.items.map((clinic) => clinicView(clinic, org.settings)) };
  }

  async get(caller: TenantCaller, clinicId: string): Promise<ClinicDto> {
    // The guard already holds the organization head (with its settings): one read for the clinic.
    const clinic = caller.clinic !== undefined ? caller.clinic : await this.clinics.findByIdCached(caller.org._id, clinicId);
    if (!clinic) throw new ClinicNotFoundError(clinicId);
    const settings = caller.org.settings ?? NO_SETTINGS;
    // Cached clinics and heads are shared, unchanging copies: their view is built once, not per request.
    const built = this.views.get(clinic);
    if (built?.settings === settings) return built.view;
    const view = clinicView(clinic, settings);
    this.views.set(clinic, { settings, view });
    return view;
  }

  /**
   * With If-Match a concurrent change is a 412. Without it the caller asked for "last write
   * wins": a change that does not depend on the stored clinic is one unconditional update; a
   * status change (which moves a plan slot) is re-applied on the fresh document a few times.
   */
  async update(caller: TenantCaller, clinicId: string, dto: UpdateClinicDto, ifMatch: number | undefined): Promise<ClinicDto> {
    const orgId = caller.org._id;
    if (dto.providerRoles) await this.roles.assertRolesExist(orgId, dto.providerRoles);
    checkCalendar(dto.openingHours, dto.closures);
    const { status, ...fields } = dto;
    const set: Partial<ClinicDocument> = { ...fields };
    if (dto.providerRoles) set.providerRoles = [...new Set(dto.providerRoles)];
    if (dto.settings) set.settings = { ...dto.settings };
    if (ifMatch === undefined && status === undefined) {
      const changed = await this.clinics.overwrite(orgId, clinicId, set);
      if (!changed) throw new ClinicNotFoundError(clinicId);
      await this.audit.record(caller, orgId, 'clinic.update', { type: 'clinic', id: clinicId }, changed.before, changed.after);
      return clinicView(changed.after, caller.org.settings ?? {});
    }
    return writeOptimistically(ifMatch, async () => {
      const clinic = await this.clinics.findById(orgId, clinicId);
      if (!clinic) throw new ClinicNotFoundError(clinicId);
      assertFresh(ifMatch, clinic.version);
      const transition = status && status !== clinic.status && clinic.status !== 'archived' ? status : undefined;
      const change = transition ? { ...set, status: transition } : set;
      return this.write(caller, clinic, change, transition === 'active' ? 'take' : transition === 'inactive' ? 'give' : 'none', 'clinic.update');
    });
  }

  async archive(caller: TenantCaller, clinicId: string, ifMatch: number | undefined): Promise<ClinicDto> {
    return writeOptimistically(ifMatch, async () => {
      const clinic = await this.clinics.findById(caller.org._id, clinicId);
      if (!clinic) throw new ClinicNotFoundError(clinicId);
      assertFresh(ifMatch, clinic.version);
      return this.write(caller, clinic, { status: 'archived' }, clinic.status === 'active' ? 'give' : 'none', 'clinic.archive');
    });
  }

  /** Conditional write of a clinic; a status change moves the plan slot around it. Null: lost a race. */
  private async write(
    caller: TenantCaller,
    clinic: ClinicDocument,
    set: Partial<ClinicDocument>,
    slot: 'take' | 'give' | 'none',
    action: string,
  ): Promise<ClinicDto | null> {
    const orgId = caller.org._id;
    if (slot === 'take') await this.reserveClinicSlot(orgId);
    const updated = await this.clinics.updateIfVersion(orgId, clinic._id, clinic.version, set);
    if (!updated) {
      if (slot === 'take') await this.organizations.releaseClinicSlot(orgId);
      return null;
    }
    if (slot === 'give') await this.organizations.releaseClinicSlot(orgId);
    await this.audit.record(caller, orgId, action, { type: 'clinic', id: clinic._id }, clinic, updated);
    return clinicView(updated, caller.org.settings ?? {});
  }

  /** One retry covers a tier change between reading the organization and reserving. */
  private async reserveClinicSlot(orgId: string): Promise<OrganizationDocument> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const org = await this.org(orgId);
      if (org.status !== 'active') throw new OrganizationNotActiveError(org.status);
      if (await this.organizations.reserveClinicSlot(orgId, org.tier)) return org;
      const after = await this.org(orgId);
      if (after.tier === org.tier && after.status === 'active') {
        throw new PlanLimitExceededError('clinics', PLANS[after.tier].maxActiveClinics, after.usage.activeClinics);
      }
    }
    const org = await this.org(orgId);
    throw new PlanLimitExceededError('clinics', PLANS[org.tier].maxActiveClinics, org.usage.activeClinics);
  }

  private async org(orgId: string): Promise<OrganizationDocument> {
    const org = await this.organizations.findById(orgId);
    if (!org) throw new OrganizationNotFoundError(orgId);
    return org;
  }
}
