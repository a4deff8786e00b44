import { Body, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { BindingParams, OrgParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { BindingsService } from './bindings.service.js';
import { BindingDto, BindingPageDto, CreateBindingDto, ListBindingsQuery } from './dto/rbac.dto.js';
import { Guarded, RequirePermission } from './require-permission.decorator.js';

@ApiController('organizations/:orgId/bindings', 'rbac')
@Guarded()
export class BindingsController {
  constructor(private readonly bindings: BindingsService) {}

  @Post()
  @RequirePermission('rbac:manage')
  @ApiOperation({
    summary: 'Grant (or explicitly deny) a role to a user, org-wide or for one clinic',
    description:
      '404 when `clinicId` is not a clinic of this organization (whatever the caller may do); 409 BINDING_EXISTS when the same binding is active; 409 LAST_OWNER when an org-wide deny of org-owner would leave the organization without an owner; 422 ROLE_NOT_FOUND when the role is unknown or being deleted.',
  })
  @ApiCreatedResponse({ type: BindingDto })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  grant(@Param() _params: OrgParams, @Body() dto: CreateBindingDto, @TenantCallerParam() caller: TenantCaller): Promise<BindingDto> {
    return this.bindings.grant(caller, dto);
  }

  @Get()
  @RequirePermission('rbac:read', 'anywhere')
  @ApiOperation({
    summary: 'Role bindings of the organization',
    description:
      'Filtered to what the caller may see: an org-wide `rbac:read` shows every binding (except on clinics where it is denied); a clinic-scoped one shows the bindings on those clinics only, no org-wide binding. 403 when the caller may read bindings nowhere.',
  })
  @ApiOkResponse({ type: BindingPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(@Param() _params: OrgParams, @Query() query: ListBindingsQuery, @TenantCallerParam() caller: TenantCaller): Promise<Page<BindingDto>> {
    return this.bindings.list(caller, query);
  }

  @Delete(':bindingId')
  @RequirePermission('rbac:manage')
  @ApiOperation({
    summary: 'Revoke a binding (kept as history); effective on the very next request everywhere',
    description: 'Idempotent: revoking an already revoked binding answers it again. 409 LAST_OWNER when it would leave the organization without an owner.',
  })
  @ApiOkResponse({ type: BindingDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  revoke(@Param() params: BindingParams, @TenantCallerParam() caller: TenantCaller): Promise<BindingDto> {
    return this.bindings.revoke(caller, params.bindingId);
  }
}
