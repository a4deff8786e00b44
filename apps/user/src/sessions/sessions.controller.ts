import { Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { RevokedCountDto, SessionDto } from './dto/session.dto.js';
import { SessionIdParams } from './dto/session-id.params.js';
import { SessionsService } from './sessions.service.js';

@ApiController('users/me/sessions', 'sessions')
@ApiBearerAuth('bearer')
@ApiProblemResponses(401)
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'My open device sessions, newest first' })
  @ApiOkResponse({ type: [SessionDto] })
  list(@CurrentUser() caller: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(caller);
  }

  @Delete()
  @ApiOperation({ summary: 'Sign out every other device (keeps the current session)' })
  @ApiOkResponse({ type: RevokedCountDto })
  revokeOthers(@CurrentUser() caller: AuthUser): Promise<RevokedCountDto> {
    return this.sessions.revokeOthers(caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out one of my devices; its refresh and access tokens stop working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblemResponses(400, 404)
  revoke(@CurrentUser() caller: AuthUser, @Param() params: SessionIdParams): Promise<void> {
    return this.sessions.revokeMine(caller, params.id);
  }
}
