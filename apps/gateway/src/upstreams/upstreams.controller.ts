import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiProblemResponses } from '@dentalos/core';
import { UpstreamsDto } from './dto/upstream-status.dto.js';
import { UpstreamsService } from './upstreams.service.js';

@ApiTags('gateway')
@ApiBearerAuth('bearer')
@Controller('gateway/upstreams')
export class UpstreamsController {
  constructor(private readonly upstreams: UpstreamsService) {}

  @Get()
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: "Each upstream service's circuit breaker state (platform admins)" })
  @ApiOkResponse({ type: UpstreamsDto })
  @ApiProblemResponses(401, 403)
  list(): UpstreamsDto {
    return this.upstreams.list();
  }
}
