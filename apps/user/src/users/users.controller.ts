import { Body, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserProfileDto } from './dto/user-profile.dto.js';
import { UsersService } from './users.service.js';

@ApiController('users/me', 'profile')
@ApiBearerAuth('bearer')
@ApiProblemResponses(401)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'My profile' })
  @ApiOkResponse({ type: UserProfileDto })
  @ApiProblemResponses(404)
  me(@CurrentUser() caller: AuthUser): Promise<UserProfileDto> {
    return this.users.me(caller);
  }

  @Patch()
  @ApiOperation({ summary: 'Update my display name, locale or time zone' })
  @ApiOkResponse({ type: UserProfileDto })
  @ApiProblemResponses(400, 404)
  update(@CurrentUser() caller: AuthUser, @Body() changes: UpdateProfileDto): Promise<UserProfileDto> {
    return this.users.updateMe(caller, changes);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete my account: personal data is erased, every session ends, user.deleted is emitted' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(404)
  remove(@CurrentUser() caller: AuthUser): Promise<void> {
    return this.users.deleteMe(caller);
  }
}
