import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { type TenantCaller, TenantCallerParam } from '../common/caller.js';
import { MemberParams, OrgParams } from '../common/ids.js';
import { BindingsService } from './bindings.service.js';
import { AuthorizationDecisionDto, AuthorizeDto, EffectivePermissionsDto } from './dto/rbac.dto.js';
import { Guarded, RequirePermission } from './require-permission.decorator.js';

@ApiController('organizations/:orgId', 'rbac')
@Guarded()
export class AccessController {
  constructor(private readonly bindings: BindingsService) {}

  @Post('authorize')
  @HttpCode(200)
  @RequirePermission('rbac:read', 'anywhere')
  @ApiOperation({
    summary: 'Would this user be allowed this action (at this clinic)? With the bindings that decide',
    description:
      '404 when the clinic is not one of this organization. A clinic-scoped `rbac:read` answers for those clinics only: 403 for another clinic or the organization level.',
  })
  @ApiOkResponse({ type: AuthorizationDecisionDto })
  @ApiProblemResponses(400, 401, 403, 404)
  authorize(@Param() _params: OrgParams, @Body() dto: AuthorizeDto, @TenantCallerParam() caller: TenantCaller): Promise<AuthorizationDecisionDto> {
    return this.bindings.authorize(caller, dto);
  }

  @Get('members/:userId/permissions')
  @RequirePermission('member:read', 'anywhere')
  @ApiOperation({
    summary: 'Effective permissions of a member, org-wide and per clinic',
    description:
      'Filtered to what the caller may see: with a clinic-scoped `member:read`, `organization` is empty and `clinics` and `bindings` show those clinics only; 404 when the member has nothing there.',
  })
  @ApiOkResponse({ type: EffectivePermissionsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  permissions(@Param() params: MemberParams, @TenantCallerParam() caller: TenantCaller): Promise<EffectivePermissionsDto> {
    return this.bindings.effectivePermissions(caller, params.userId);
  }
}
