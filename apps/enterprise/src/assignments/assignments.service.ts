import { Injectable } from '@nestjs/common';
import { EVENT_TYPES, OutboxRelayService } from '@dentalos/events';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { ClinicRepository } from '../clinics/clinic.repository.js';
import type { ClinicDocument } from '../clinics/clinic.schema.js';
import { ClinicNotActiveError, ClinicNotFoundError, InvalidScheduleError } from '../clinics/clinics.errors.js';
import type { TenantCaller } from '../common/caller.js';
import { assertFresh } from '../common/etag.js';
import { enterpriseEvent } from '../common/events.js';
import { writeOptimistically } from '../common/optimistic-write.js';
import type { Page } from '../common/pagination.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';
import { OrganizationNotActiveError, PlanLimitExceededError } from '../organizations/organizations.errors.js';
import { PLANS } from '../organizations/plans.js';
import type { Permission } from '../rbac/permissions.js';
import { OrganizationNotFoundError, PermissionDeniedError } from '../rbac/rbac.errors.js';
import { AssignmentRepository } from './assignment.repository.js';
import type { AssignmentDocument, ExceptionPeriod } from './assignment.schema.js';
import { assignmentView, isPrimaryNow, primaryStateOf, scheduleEntryOf } from './assignment.view.js';
import { AssignmentEndedError, AssignmentNotFoundError, RoleNotInCatalogueError } from './assignments.errors.js';
import type { AssignmentDto, CreateAssignmentDto, EndAssignmentDto, ExceptionDto, ListAssignmentsQuery, UpdateAssignmentDto, WeeklySlotDto } from './dto/assignment.dto.js';
import { type Placement, ScheduleBook } from './schedule/schedule-book.service.js';
import { todayUtc } from './schedule/zoned-time.js';

/** How a request to end came out: this request ended it, or found it already ended on the date it asked for. */
type EndResult = { kind: 'ended'; before: AssignmentDocument; updated: AssignmentDocument } | { kind: 'already-ended'; updated: AssignmentDocument };

/** The exclusive end date a request asks for: today (UTC) by default, never before the first day. */
function requestedEndDate(assignment: AssignmentDocument, dto: EndAssignmentDto): string {
  const requested = dto.endDate ?? todayUtc();
  return requested < assignment.from ? assignment.from : requested;
}

/** Ending again on the date it ended is answered with the ended assignment; any other date is a conflict. */
function endedAsAsked(assignment: AssignmentDocument, endDate: string): EndResult {
  if (assignment.to !== endDate) throw new AssignmentEndedError();
  return { kind: 'already-ended', updated: assignment };
}

function checkSlots(slots: WeeklySlotDto[]): void {
  slots.forEach((slot, index) => {
    if (slot.end <= slot.start) throw new InvalidScheduleError(`slots[${index}].end`, 'end must be later than start on the same day');
  });
}

/**
 * The overlap check walks every day up to the last not-available period before its weekly pattern
 * repeats, so how far ahead one may end bounds the cost of every check; a longer absence is an
 * ended assignment.
 */
const EXCEPTION_MAX_YEARS_AHEAD = 5;
const EXCEPTION_MAX_AHEAD_MS = EXCEPTION_MAX_YEARS_AHEAD * 366 * 24 * 3600 * 1000;

function toExceptions(exceptions: ExceptionDto[] = []): ExceptionPeriod[] {
  const latestEnd = Date.now() + EXCEPTION_MAX_AHEAD_MS;
  return exceptions.map((exception, index) => {
    const from = new Date(exception.from);
    const to = new Date(exception.to);
    if (to <= from) throw new InvalidScheduleError(`exceptions[${index}].to`, 'to must be later than from');
    if (to.getTime() > latestEnd) {
      throw new InvalidScheduleError(`exceptions[${index}].to`, `must end within ${EXCEPTION_MAX_YEARS_AHEAD} years; end the assignment for a longer absence`);
    }
    return { from, to, reason: exception.reason ?? '' };
  });
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly clinics: ClinicRepository,
    private readonly organizations: OrganizationRepository,
    private readonly book: ScheduleBook,
    private readonly audit: AuditService,
    private readonly relay: OutboxRelayService,
  ) {}

  /**
   * Order of writes, each atomic on one document: provider count (and plan slot) → provider schedule
   * (overlap + primary, version-checked) → assignment with its event → demoted assignments. A
   * failure undoes the earlier steps, so nothing is left half written.
   */
  async create(caller: TenantCaller, dto: CreateAssignmentDto): Promise<AssignmentDto> {
    const orgId = caller.org._id;
    const clinic = await this.clinicFor(caller, dto.clinicId, 'assignment:create');
    if (clinic.status !== 'active') throw new ClinicNotActiveError(clinic.status);
    if (!clinic.providerRoles.includes(dto.role)) throw new RoleNotInCatalogueError(dto.role, clinic.providerRoles);
    if (dto.to && dto.to <= dto.from) throw new InvalidScheduleError('to', 'to must be after from');
    checkSlots(dto.slots);
    const exceptions = toExceptions(dto.exceptions);
    await this.countProvider(orgId, dto.providerId);
    const id = randomUUID();
    const document: Omit<AssignmentDocument, 'createdAt' | 'updatedAt'> = {
      _id: id,
      orgId,
      clinicId: clinic._id,
      providerId: dto.providerId,
      role: dto.role,
      from: dto.from,
      to: dto.to ?? null,
      timeZone: clinic.timeZone,
      slots: dto.slots.map(({ day, start, end }) => ({ day, start, end })),
      exceptions,
      primaryPeriods: [],
      primaryOnStart: false,
      status: 'active',
      version: 1,
      createdBy: caller.userId,
    };
    let placement;
    try {
      // A fresh id cannot be in the schedule yet, so the placement is never refused as stale.
      placement = (await this.book.place(orgId, dto.providerId, scheduleEntryOf(document), dto.primary === true, null))!;
    } catch (error) {
      await this.organizations.uncountProviderAssignment(orgId, dto.providerId);
      throw error;
    }
    Object.assign(document, primaryStateOf(placement.placed));
    const event = enterpriseEvent(EVENT_TYPES.assignmentCreated, `organizations/${orgId}/assignments/${id}`, {
      organizationId: orgId,
      assignmentId: id,
      clinicId: clinic._id,
      clinicName: clinic.name,
      clinicTimeZone: clinic.timeZone,
      // The user id of the provider, named as consumers of user-centric events expect it.
      providerUserId: dto.providerId,
      providerId: dto.providerId,
      role: dto.role,
      from: document.from,
      to: document.to,
      primary: isPrimaryNow(document),
    });
    try {
      await this.assignments.insert(document, event);
    } catch (error) {
      await this.assignments.mirror(orgId, await this.book.remove(orgId, dto.providerId, id));
      await this.organizations.uncountProviderAssignment(orgId, dto.providerId);
      throw error;
    }
    await this.assignments.mirror(orgId, placement.changed.slice(1));
    // Another placement may have demoted this one before its document existed: catch up with the schedule.
    await this.repair(orgId, dto.providerId, id);
    const created = (await this.assignments.findById(orgId, id))!;
    await this.audit.record(caller, orgId, 'assignment.create', { type: 'assignment', id }, null, created);
    this.relay.kick();
    return assignmentView(created);
  }

  async list(caller: TenantCaller, query: ListAssignmentsQuery): Promise<Page<AssignmentDto>> {
    const page = await this.assignments.page(
      caller.org._id,
      caller.policy.visibility('assignment:read'),
      { clinicId: query.clinicId, providerId: query.providerId, status: query.status, primary: query.primary },
      { sort: query.sort ?? 'from', limit: query.limit, cursor: query.cursor },
    );
    return { nextCursor: page.nextCursor, items: page.items.map(assignmentView) };
  }

  async get(caller: TenantCaller, assignmentId: string): Promise<AssignmentDto> {
    return assignmentView(await this.load(caller, assignmentId, 'assignment:read'));
  }

  /**
   * New slots, exceptions or promotion to primary on all its dates: re-checked against the whole
   * schedule, where the change is decided (and a concurrent change of the same assignment
   * refused); the assignment documents then follow the schedule.
   */
  async update(caller: TenantCaller, assignmentId: string, dto: UpdateAssignmentDto, ifMatch: number | undefined): Promise<AssignmentDto> {
    const orgId = caller.org._id;
    if (dto.primary === false) throw new InvalidScheduleError('primary', 'a primary assignment is demoted by promoting another one');
    if (dto.slots) checkSlots(dto.slots);
    const exceptions = dto.exceptions ? toExceptions(dto.exceptions) : undefined;
    return writeOptimistically(ifMatch, async () => {
      const assignment = await this.load(caller, assignmentId, 'assignment:update');
      if (assignment.status !== 'active') throw new AssignmentEndedError();
      assertFresh(ifMatch, assignment.version);
      const next = {
        ...assignment,
        slots: dto.slots ? dto.slots.map(({ day, start, end }) => ({ day, start, end })) : assignment.slots,
        exceptions: exceptions ?? assignment.exceptions,
      };
      const placement = await this.replaceEntry(orgId, next, dto.primary === true);
      if (!placement) return this.repair(orgId, assignment.providerId, assignmentId);
      await this.assignments.mirror(orgId, placement.changed);
      const updated = (await this.assignments.findById(orgId, assignmentId))!;
      await this.audit.record(caller, orgId, 'assignment.update', { type: 'assignment', id: assignmentId }, assignment, updated);
      return assignmentView(updated);
    });
  }

  /**
   * Ending keeps the assignment as history; only its schedule stops at the end date. Asking again
   * for the end date it already has answers the ended assignment (so a lost race between two equal
   * requests is a success); another date is 409 ASSIGNMENT_ENDED.
   */
  async end(caller: TenantCaller, assignmentId: string, dto: EndAssignmentDto, ifMatch: number | undefined): Promise<AssignmentDto> {
    const orgId = caller.org._id;
    const result = await writeOptimistically(ifMatch, () => this.tryEnd(caller, assignmentId, dto, ifMatch));
    if (result.kind === 'ended') {
      await this.organizations.uncountProviderAssignment(orgId, result.updated.providerId);
      await this.audit.record(caller, orgId, 'assignment.end', { type: 'assignment', id: assignmentId }, result.before, result.updated);
      this.relay.kick();
    }
    return assignmentView(result.updated);
  }

  private async tryEnd(caller: TenantCaller, assignmentId: string, dto: EndAssignmentDto, ifMatch: number | undefined): Promise<EndResult | null> {
    const orgId = caller.org._id;
    const assignment = await this.load(caller, assignmentId, 'assignment:end');
    const endDate = requestedEndDate(assignment, dto);
    if (assignment.status !== 'active') return endedAsAsked(assignment, endDate);
    assertFresh(ifMatch, assignment.version);
    if (assignment.to !== null && endDate > assignment.to) throw new InvalidScheduleError('endDate', `endDate must not be after the current end ${assignment.to}`);
    const outcome = await this.book.end(orgId, assignment.providerId, assignmentId, endDate, assignment.version);
    if (outcome === null) return this.repair(orgId, assignment.providerId, assignmentId);
    if (outcome.kind === 'already-ended') {
      await this.assignments.mirror(orgId, [outcome.entry]);
      return endedAsAsked((await this.assignments.findById(orgId, assignmentId))!, endDate);
    }
    await this.assignments.mirror(orgId, outcome.changed);
    const event = enterpriseEvent(EVENT_TYPES.assignmentEnded, `organizations/${orgId}/assignments/${assignmentId}`, {
      organizationId: orgId,
      assignmentId,
      clinicId: assignment.clinicId,
      providerId: assignment.providerId,
      endDate,
      reason: dto.reason ?? null,
    });
    await this.assignments.recordEnd(orgId, assignmentId, { to: endDate, endedAt: new Date(), endedBy: caller.userId }, event);
    return { kind: 'ended', before: assignment, updated: (await this.assignments.findById(orgId, assignmentId))! };
  }

  /** Places the changed assignment over its current version; one the schedule has ended gets its document caught up before the refusal. */
  private async replaceEntry(orgId: string, next: AssignmentDocument, makePrimary: boolean): Promise<Placement | null> {
    try {
      return await this.book.place(orgId, next.providerId, scheduleEntryOf(next), makePrimary, next.version);
    } catch (error) {
      if (error instanceof AssignmentEndedError) await this.repair(orgId, next.providerId, next._id);
      throw error;
    }
  }

  /**
   * After a lost race on the schedule, or a placement whose document did not exist yet: writes
   * the schedule's current state of the assignment onto its document (a no-op when the document
   * is already there), so the next attempt reads the version the schedule holds. Null, for
   * `writeOptimistically`: the change itself was not made.
   */
  private async repair(orgId: string, providerId: string, assignmentId: string): Promise<null> {
    const entry = await this.book.entry(orgId, providerId, assignmentId);
    if (entry) await this.assignments.mirror(orgId, [entry]);
    return null;
  }

  private async load(caller: TenantCaller, assignmentId: string, permission: Permission): Promise<AssignmentDocument> {
    const assignment = await this.assignments.findById(caller.org._id, assignmentId);
    if (!assignment) throw new AssignmentNotFoundError(assignmentId);
    if (!caller.policy.check(permission, assignment.clinicId).allowed) throw new PermissionDeniedError(permission, assignment.clinicId);
    return assignment;
  }

  private async clinicFor(caller: TenantCaller, clinicId: string, permission: Permission): Promise<ClinicDocument> {
    const clinic = await this.clinics.findById(caller.org._id, clinicId);
    if (!clinic) throw new ClinicNotFoundError(clinicId);
    if (!caller.policy.check(permission, clinicId).allowed) throw new PermissionDeniedError(permission, clinicId);
    return clinic;
  }

  /** Retries when the tier changed between the read and the count, so the count always uses the plan in force. */
  private async countProvider(orgId: string, providerId: string): Promise<void> {
    for (;;) {
      const org = await this.organizations.findById(orgId);
      if (!org) throw new OrganizationNotFoundError(orgId);
      if (org.status !== 'active') throw new OrganizationNotActiveError(org.status);
      const outcome = await this.organizations.countProviderAssignment(orgId, org.tier, providerId);
      if (outcome === 'counted') return;
      if (outcome === 'full') {
        const after = (await this.organizations.findById(orgId)) ?? org;
        throw new PlanLimitExceededError('providers', PLANS[after.tier].maxActiveProviders, after.usage.activeProviders);
      }
    }
  }
}
