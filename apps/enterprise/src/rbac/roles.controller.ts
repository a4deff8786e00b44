import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { ApiIfMatch, EtagInterceptor, IfMatch } from '../common/etag.js';
import { OrgParams, RoleParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { CreateRoleDto, ListRolesQuery, RoleDto, RolePageDto, UpdateRoleDto } from './dto/rbac.dto.js';
import { Guarded, RequirePermission } from './require-permission.decorator.js';
import { RolesService } from './roles.service.js';

@ApiController('organizations/:orgId/roles', 'rbac')
@Guarded()
@UseInterceptors(EtagInterceptor)
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Post()
  @RequirePermission('rbac:manage')
  @ApiOperation({ summary: 'Define a custom role (plan feature customRoles)' })
  @ApiCreatedResponse({ type: RoleDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  create(@Param() _params: OrgParams, @Body() dto: CreateRoleDto, @TenantCallerParam() caller: TenantCaller): Promise<RoleDto> {
    return this.roles.create(caller, dto);
  }

  @Get()
  @RequirePermission('rbac:read')
  @ApiOperation({ summary: 'Custom roles of the organization (built-in roles: GET /api/v1/permissions)' })
  @ApiOkResponse({ type: RolePageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(@Param() _params: OrgParams, @Query() query: ListRolesQuery, @TenantCallerParam() caller: TenantCaller): Promise<Page<RoleDto>> {
    return this.roles.list(caller, query);
  }

  @Get(':roleId')
  @RequirePermission('rbac:read')
  @ApiOperation({ summary: 'One custom role' })
  @ApiOkResponse({ type: RoleDto })
  @ApiProblemResponses(400, 401, 403, 404)
  get(@Param() params: RoleParams, @TenantCallerParam() caller: TenantCaller): Promise<RoleDto> {
    return this.roles.get(caller, params.roleId);
  }

  @Patch(':roleId')
  @RequirePermission('rbac:manage')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change a custom role; every holder’s next request sees the change' })
  @ApiOkResponse({ type: RoleDto })
  @ApiProblemResponses(400, 401, 403, 404, 412, 503)
  update(@Param() params: RoleParams, @Body() dto: UpdateRoleDto, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<RoleDto> {
    return this.roles.update(caller, params.roleId, dto, ifMatch);
  }

  @Delete(':roleId')
  @HttpCode(204)
  @RequirePermission('rbac:manage')
  @ApiOperation({
    summary: 'Delete a custom role that nobody holds',
    description:
      '409 ROLE_IN_USE while a binding holds it. From the start of the deletion new grants of the role are refused (422 ROLE_NOT_FOUND), so a grant racing the deletion never survives it; 503 RESOURCE_BUSY when concurrent deletions of the role keep taking it over.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 401, 403, 404, 409, 503)
  delete(@Param() params: RoleParams, @TenantCallerParam() caller: TenantCaller): Promise<void> {
    return this.roles.delete(caller, params.roleId);
  }
}
