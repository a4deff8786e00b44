import { Body, Get, HttpCode, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { ApiIfMatch, EtagInterceptor, IfMatch } from '../common/etag.js';
import { AssignmentParams, OrgParams } from '../common/ids.js';
import type { Page } from '../common/pagination.js';
import { Guarded, RequirePermission } from '../rbac/require-permission.decorator.js';
import { AssignmentsService } from './assignments.service.js';
import {
  AssignmentConflictDto,
  AssignmentDto,
  AssignmentPageDto,
  CreateAssignmentDto,
  EndAssignmentDto,
  ListAssignmentsQuery,
  UpdateAssignmentDto,
} from './dto/assignment.dto.js';

const CONFLICT = { description: 'ASSIGNMENT_CONFLICT: overlaps another assignment of the provider (see conflict)', type: AssignmentConflictDto };
const UPDATE_CONFLICT = { description: 'ASSIGNMENT_CONFLICT: overlaps another assignment of the provider (see conflict); ASSIGNMENT_ENDED: the assignment has ended', type: AssignmentConflictDto };

@ApiController('organizations/:orgId/assignments', 'assignments')
@ApiExtraModels(AssignmentConflictDto)
@Guarded()
@UseInterceptors(EtagInterceptor)
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post()
  @RequirePermission('assignment:create', 'anywhere')
  @ApiOperation({ summary: 'Assign a provider to a clinic with weekly slots in the clinic’s time zone' })
  @ApiCreatedResponse({ type: AssignmentDto })
  @ApiConflictResponse(CONFLICT)
  @ApiProblemResponses(400, 401, 403, 404, 409, 422, 503)
  create(@Param() _params: OrgParams, @Body() dto: CreateAssignmentDto, @TenantCallerParam() caller: TenantCaller): Promise<AssignmentDto> {
    return this.assignments.create(caller, dto);
  }

  @Get()
  @RequirePermission('assignment:read', 'anywhere')
  @ApiOperation({ summary: 'Assignments at the clinics the caller may see' })
  @ApiOkResponse({ type: AssignmentPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  list(@Param() _params: OrgParams, @Query() query: ListAssignmentsQuery, @TenantCallerParam() caller: TenantCaller): Promise<Page<AssignmentDto>> {
    return this.assignments.list(caller, query);
  }

  @Get(':assignmentId')
  @RequirePermission('assignment:read', 'anywhere')
  @ApiOperation({ summary: 'One assignment' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiProblemResponses(400, 401, 403, 404)
  get(@Param() params: AssignmentParams, @TenantCallerParam() caller: TenantCaller): Promise<AssignmentDto> {
    return this.assignments.get(caller, params.assignmentId);
  }

  @Patch(':assignmentId')
  @RequirePermission('assignment:update', 'anywhere')
  @ApiIfMatch()
  @ApiOperation({ summary: 'Change slots or exceptions, or promote to primary (re-checked for overlaps)' })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiConflictResponse(UPDATE_CONFLICT)
  @ApiProblemResponses(400, 401, 403, 404, 409, 412, 503)
  update(@Param() params: AssignmentParams, @Body() dto: UpdateAssignmentDto, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<AssignmentDto> {
    return this.assignments.update(caller, params.assignmentId, dto, ifMatch);
  }

  @Post(':assignmentId/end')
  @HttpCode(200)
  @RequirePermission('assignment:end', 'anywhere')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'End an assignment (kept in history; its schedule stops at the end date)',
    description: 'Its primary dates from the end date on go to the earliest-created assignment still covering them. Ending an ended assignment again on the same date answers it unchanged.',
  })
  @ApiOkResponse({ type: AssignmentDto })
  @ApiConflictResponse({ description: 'ASSIGNMENT_ENDED: already ended on another date' })
  @ApiProblemResponses(400, 401, 403, 404, 409, 412, 503)
  end(@Param() params: AssignmentParams, @Body() dto: EndAssignmentDto, @IfMatch() ifMatch: number | undefined, @TenantCallerParam() caller: TenantCaller): Promise<AssignmentDto> {
    return this.assignments.end(caller, params.assignmentId, dto, ifMatch);
  }
}
