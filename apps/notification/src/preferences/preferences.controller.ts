import { Body, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { MyPreferencesResponseDto, PreferencesDto } from './dto/preferences.dto.js';
import { MyPreferencesService } from './my-preferences.service.js';
import { PreferencesService } from './preferences.service.js';

@ApiController('preferences')
@ApiBearerAuth('bearer')
@ApiProblemResponses(400, 401)
export class PreferencesController {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly mine: MyPreferencesService,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller’s preferences and their organization’s defaults' })
  @ApiOkResponse({ type: MyPreferencesResponseDto })
  get(@CurrentUser() user: AuthUser): Promise<MyPreferencesResponseDto> {
    return this.mine.get(user.id);
  }

  @Put('me')
  @ApiOperation({ summary: 'Replace the caller’s preferences' })
  @ApiOkResponse({ type: PreferencesDto })
  save(@CurrentUser() user: AuthUser, @Body() dto: PreferencesDto): Promise<PreferencesDto> {
    return this.preferences.saveMine(user.id, dto);
  }

  @Delete('me')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset the caller’s preferences to the organization defaults' })
  @ApiNoContentResponse()
  reset(@CurrentUser() user: AuthUser): Promise<void> {
    return this.preferences.resetMine(user.id);
  }

  @Get('organizations/:organizationId')
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: 'An organization’s default preferences' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiProblemResponses(403)
  organization(@Param('organizationId') organizationId: string): Promise<PreferencesDto> {
    return this.preferences.organization(organizationId);
  }

  @Put('organizations/:organizationId')
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: 'Replace an organization’s default preferences' })
  @ApiOkResponse({ type: PreferencesDto })
  @ApiProblemResponses(403)
  saveOrganization(@Param('organizationId') organizationId: string, @Body() dto: PreferencesDto): Promise<PreferencesDto> {
    return this.preferences.saveOrganization(organizationId, dto);
  }
}
