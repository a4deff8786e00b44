import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { AdminUserDto, UserPageDto } from './dto/admin-user.dto.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UserIdParams } from './dto/user-id.params.js';
import { UsersService } from './users.service.js';

@ApiController('users', 'users (admin)')
@ApiBearerAuth('bearer')
@Roles(PLATFORM_ADMIN)
@ApiProblemResponses(401, 403)
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List or search accounts (newest first, cursor pagination)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblemResponses(400)
  list(@Query() query: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account, with lockout state and audit trail' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblemResponses(400, 404)
  get(@Param() params: UserIdParams): Promise<AdminUserDto> {
    return this.users.get(params.id);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate an account; all its sessions end at once' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblemResponses(400, 404, 409)
  deactivate(@CurrentUser() admin: AuthUser, @Param() params: UserIdParams): Promise<AdminUserDto> {
    return this.users.deactivate(admin, params.id);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a deactivated account' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblemResponses(400, 404, 409)
  reactivate(@CurrentUser() admin: AuthUser, @Param() params: UserIdParams): Promise<AdminUserDto> {
    return this.users.reactivate(admin, params.id);
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a login lockout (audited)' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiProblemResponses(400, 404)
  unlock(@CurrentUser() admin: AuthUser, @Param() params: UserIdParams): Promise<AdminUserDto> {
    return this.users.unlock(admin, params.id);
  }
}
