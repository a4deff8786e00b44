import { Body, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { type Caller, CurrentCaller, type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { ApiIfMatch, EtagInterceptor, IfMatch } from '../common/etag.js';
import { OrgParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { Guarded, RequirePermission, SignedIn } from '../rbac/require-permission.decorator.js';
import { CreateOrganizationDto, ListOrganizationsQuery, OrganizationDto, OrganizationPageDto, UpdateOrganizationDto } from './dto/organization.dto.js';
import { OrganizationsService } from './organizations.service.js';

@ApiController('organizations')
@Guarded()
@UseInterceptors(EtagInterceptor)
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @SignedIn()
  @ApiOperation({ summary: 'Create an organization; the caller becomes its owner' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiProblemResponses(400, 401, 409)
  create(@Body() dto: CreateOrganizationDto, @CurrentCaller() caller: Caller): Promise<OrganizationDto> {
    return this.organizations.create(caller, dto);
  }

  @Get()
  @SignedIn()
  @ApiOperation({ summary: 'Organizations the caller belongs to' })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiProblemResponses(400, 401)
  list(@Query() query: ListOrganizationsQuery, @CurrentCaller() caller: Caller): Promise<Page<OrganizationDto>> {
    return this.organizations.list(caller, query);
  }

  @Get(':orgId')
  @RequirePermission('org:read')
  @ApiOperation({ summary: 'One organization with its plan limits, features and usage' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiProblemResponses(400, 401, 403, 404)
  get(@Param() _params: OrgParams, @TenantCallerParam() caller: TenantCaller): Promise<OrganizationDto> {
    return this.organizations.get(caller);
  }

  @Patch(':orgId')
  @RequirePermission('org:update')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Update name, status, settings or tier (tier needs org:billing; a downgrade below usage is 409)' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiProblemResponses(400, 401, 403, 404, 409, 412, 503)
  update(@Param() _params: OrgParams, @Body() dto: UpdateOrganizationDto, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<OrganizationDto> {
    return this.organizations.update(caller, dto, ifMatch);
  }

  @Post(':orgId/archive')
  @HttpCode(200)
  @RequirePermission('org:archive')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Archive the organization (kept for history, hidden from default lists)' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiProblemResponses(400, 401, 403, 404, 412, 503)
  archive(@Param() _params: OrgParams, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<OrganizationDto> {
    return this.organizations.archive(caller, ifMatch);
  }
}
