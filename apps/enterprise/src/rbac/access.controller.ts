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
  @RequirePermission('rbac:read')
  @ApiOperation({
    summary: 'Would this user be allowed this action (at this clinic)? With the bindings that decide',
    description: '404 when the clinic is not one of this organization.',
  })
  @ApiOkResponse({ type: AuthorizationDecisionDto })
  @ApiProblemResponses(400, 401, 403, 404)
  authorize(@Param() _params: OrgParams, @Body() dto: AuthorizeDto, @TenantCallerParam() caller: TenantCaller): Promise<AuthorizationDecisionDto> {
    return this.bindings.authorize(caller, dto);
  }

  @Get('members/:userId/permissions')
  @RequirePermission('member:read')
  @ApiOperation({ summary: 'Effective permissions of a member, org-wide and per clinic' })
  @ApiOkResponse({ type: EffectivePermissionsDto })
  @ApiProblemResponses(400, 401, 403, 404)
  permissions(@Param() params: MemberParams, @TenantCallerParam() caller: TenantCaller): Promise<EffectivePermissionsDto> {
    return this.bindings.effectivePermissions(caller, params.userId);
  }
}
