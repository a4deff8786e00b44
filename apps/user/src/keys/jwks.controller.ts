import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@dentalos/core';
import { JwksDto } from './dto/jwks.dto.js';
import { SigningKeys } from './signing-keys.service.js';

/** Outside /api/v1 on purpose: `/.well-known/jwks.json` is where JOSE clients look. */
@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Public()
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (active, next and previous)' })
  @ApiOkResponse({ type: JwksDto })
  async jwks(): Promise<JwksDto> {
    return { keys: (await this.keys.publicJwks()) as JwksDto['keys'] };
  }
}
