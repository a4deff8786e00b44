import { Body, Get, HttpCode, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import type { FastifyReply } from 'fastify';
import { type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { ApiIfMatch, EtagInterceptor, IfMatch, sendVersioned } from '../common/etag.js';
import { ApiClinicPath, ClinicParams, OrgParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { Guarded, RequirePermission } from '../rbac/require-permission.decorator.js';
import { ClinicsService } from './clinics.service.js';
import { ClinicDto, ClinicPageDto, CreateClinicDto, EffectiveSettingDto, ListClinicsQuery, UpdateClinicDto } from './dto/clinic.dto.js';

@ApiController('organizations/:orgId/clinics', 'clinics')
@ApiExtraModels(EffectiveSettingDto)
@Guarded()
export class ClinicsController {
  constructor(private readonly clinics: ClinicsService) {}

  @Post()
  @UseInterceptors(EtagInterceptor)
  @RequirePermission('clinic:create')
  @ApiOperation({ summary: 'Create a clinic (takes one active-clinic slot of the plan)' })
  @ApiCreatedResponse({ type: ClinicDto })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  create(@Param() _params: OrgParams, @Body() dto: CreateClinicDto, @TenantCallerParam() caller: TenantCaller): Promise<ClinicDto> {
    return this.clinics.create(caller, dto);
  }

  @Get()
  @RequirePermission('clinic:read', 'anywhere')
  @ApiOperation({ summary: 'Clinics the caller may see' })
  @ApiOkResponse({ type: ClinicPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(@Param() _params: OrgParams, @Query() query: ListClinicsQuery, @TenantCallerParam() caller: TenantCaller): Promise<Page<ClinicDto>> {
    return this.clinics.list(caller, query);
  }

  /** The hot read: path ids checked by the guard alone, ETag and JSON without per-request work. */
  @Get(':clinicId')
  @RequirePermission('clinic:read', 'clinic')
  @ApiClinicPath()
  @ApiOperation({ summary: 'One clinic with its effective settings and where each comes from' })
  @ApiOkResponse({ type: ClinicDto })
  @ApiProblemResponses(400, 401, 403, 404)
  get(@TenantCallerParam() caller: TenantCaller, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return sendVersioned(reply, this.clinics.get(caller, caller.clinicId!));
  }

  @Patch(':clinicId')
  @UseInterceptors(EtagInterceptor)
  @RequirePermission('clinic:update', 'clinic')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Update a clinic; activating takes a plan slot, deactivating frees one' })
  @ApiOkResponse({ type: ClinicDto })
  @ApiProblemResponses(400, 401, 403, 404, 409, 412, 422, 503)
  update(@Param() params: ClinicParams, @Body() dto: UpdateClinicDto, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<ClinicDto> {
    return this.clinics.update(caller, params.clinicId, dto, ifMatch);
  }

  @Post(':clinicId/archive')
  @HttpCode(200)
  @UseInterceptors(EtagInterceptor)
  @RequirePermission('clinic:archive', 'clinic')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Archive a clinic (kept for history; frees its plan slot)' })
  @ApiOkResponse({ type: ClinicDto })
  @ApiProblemResponses(400, 401, 403, 404, 412, 503)
  archive(@Param() params: ClinicParams, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<ClinicDto> {
    return this.clinics.archive(caller, params.clinicId, ifMatch);
  }
}
