import { Body, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { ContactsService } from './contacts.service.js';
import { ContactResponseDto, UpdateContactDto, UpdateMyContactDto } from './dto/contact.dto.js';

@ApiController('contacts')
@ApiBearerAuth('bearer')
@ApiProblemResponses(400, 401)
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('me')
  @ApiOperation({ summary: 'How the caller is reached' })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiProblemResponses(404)
  mine(@CurrentUser() user: AuthUser): Promise<ContactResponseDto> {
    return this.contacts.get(user.id);
  }

  @Put('me')
  @ApiOperation({ summary: 'Set the caller’s phone, push tokens, locale or timezone' })
  @ApiOkResponse({ type: ContactResponseDto })
  updateMine(@CurrentUser() user: AuthUser, @Body() dto: UpdateMyContactDto): Promise<ContactResponseDto> {
    return this.contacts.update(user.id, dto);
  }

  @Get(':userId')
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: 'A user’s contact data (operators)' })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiProblemResponses(403, 404)
  get(@Param('userId') userId: string): Promise<ContactResponseDto> {
    return this.contacts.get(userId);
  }

  @Put(':userId')
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: 'Set a user’s contact data (operators)' })
  @ApiOkResponse({ type: ContactResponseDto })
  @ApiProblemResponses(403)
  update(@Param('userId') userId: string, @Body() dto: UpdateContactDto): Promise<ContactResponseDto> {
    return this.contacts.update(userId, dto);
  }
}
