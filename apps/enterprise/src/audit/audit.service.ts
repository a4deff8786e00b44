import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Caller, TenantCaller } from '../common/caller.js';
import type { Page } from '../common/pagination.js';
import type { AuditEntryDocument } from './audit-entry.schema.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditEntryDto, AuditQuery } from './dto/audit.dto.js';

const INTERNAL_FIELDS = new Set(['outbox', 'outboxAt', 'activeKey', 'providerAssignments', 'deletionId']);

/** Plain JSON snapshot without bookkeeping fields. */
function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !INTERNAL_FIELDS.has(key)));
}

/** The clinic a change concerns: the clinic itself, or the clinic its resource belongs to (bindings, assignments). */
function clinicOf(resource: { type: string; id: string }, before: object | null | undefined, after: object | null | undefined): string | null {
  if (resource.type === 'clinic') return resource.id;
  const clinicId = (after as { clinicId?: unknown } | null | undefined)?.clinicId ?? (before as { clinicId?: unknown } | null | undefined)?.clinicId;
  return typeof clinicId === 'string' ? clinicId : null;
}

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repository: AuditRepository) {}

  /**
   * Written right after the change it describes. The change is already committed, so a failed
   * audit write is logged loudly rather than turned into an error the client would retry.
   */
  async record(
    caller: Caller,
    orgId: string,
    action: string,
    resource: { type: string; id: string },
    before: object | null | undefined,
    after: object | null | undefined,
  ): Promise<void> {
    const entry: AuditEntryDocument = {
      _id: randomUUID(),
      orgId,
      at: new Date(),
      actorId: caller.userId,
      action,
      resourceType: resource.type,
      resourceId: resource.id,
      clinicId: clinicOf(resource, before, after),
      before: snapshot(before),
      after: snapshot(after),
      requestId: caller.requestId,
    };
    await this.repository.insert(entry).catch((error: unknown) => {
      this.logger.error({ err: error, requestId: caller.requestId, action, resourceId: resource.id }, 'audit entry could not be written');
    });
  }

  /** Clinic-scoped readers see the entries of their clinics only, none of the organization level. */
  async list(caller: TenantCaller, query: AuditQuery): Promise<Page<AuditEntryDto>> {
    const page = await this.repository.page(
      caller.org._id,
      caller.policy.visibility('audit:read'),
      {
        resourceType: query.resourceType,
        resourceId: query.resourceId,
        clinicId: query.clinicId,
        actorId: query.actorId,
        action: query.action,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      { sort: query.sort ?? '-at', limit: query.limit, cursor: query.cursor },
    );
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((entry) => ({
        id: entry._id,
        at: entry.at.toISOString(),
        actorId: entry.actorId,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId,
        clinicId: entry.clinicId ?? null,
        before: entry.before,
        after: entry.after,
        requestId: entry.requestId,
      })),
    };
  }
}
