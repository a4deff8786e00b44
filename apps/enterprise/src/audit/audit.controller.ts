import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { TenantCallerParam, type TenantCaller } from '../common/caller.js';
import { OrgParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { Guarded, RequirePermission } from '../rbac/require-permission.decorator.js';
import { AuditService } from './audit.service.js';
import { AuditEntryDto, AuditPageDto, AuditQuery } from './dto/audit.dto.js';

@ApiController('organizations/:orgId/audit', 'audit')
@Guarded()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit:read', 'anywhere')
  @ApiOperation({
    summary: 'Audit trail of the organization: who changed what, before and after, when, with which request',
    description:
      'Filtered to what the caller may see: an org-wide `audit:read` shows every entry (except clinics where it is denied); a clinic-scoped one shows the entries of those clinics only (the clinic, its assignments and bindings), none of the organization level. 403 when the caller may read the audit nowhere.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(@Param() _params: OrgParams, @Query() query: AuditQuery, @TenantCallerParam() caller: TenantCaller): Promise<Page<AuditEntryDto>> {
    return this.audit.list(caller, query);
  }
}
