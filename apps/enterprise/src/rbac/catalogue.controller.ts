import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { Guarded, SignedIn } from './require-permission.decorator.js';
import { PermissionCatalogueDto } from './dto/rbac.dto.js';
import { BUILT_IN_ROLES, PERMISSIONS } from './permissions.js';

@ApiController('permissions', 'rbac')
@Guarded()
export class CatalogueController {
  @Get()
  @SignedIn()
  @ApiOperation({ summary: 'The permission catalogue and the built-in roles' })
  @ApiOkResponse({ type: PermissionCatalogueDto })
  @ApiProblemResponses(401)
  catalogue(): PermissionCatalogueDto {
    return { permissions: [...PERMISSIONS], builtInRoles: BUILT_IN_ROLES.map((role) => ({ key: role.key, name: role.name, permissions: [...role.permissions] })) };
  }
}
