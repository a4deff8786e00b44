import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { DeadLettersService } from './dead-letters.service.js';
import { DeadLetterDto, ListDeadLettersQuery, ReplayAllResultDto, ReplayResultDto } from './dto/dead-letter.dto.js';

@ApiController('notifications/dead-letters', 'notifications')
@ApiBearerAuth('bearer')
@Roles(PLATFORM_ADMIN)
@ApiProblemResponses(400, 401, 403)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Failed deliveries and unprocessable events' })
  @ApiOkResponse({ type: [DeadLetterDto] })
  list(@Query() query: ListDeadLettersQuery): Promise<DeadLetterDto[]> {
    return this.deadLetters.list(query);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay every open dead letter (up to 1,000 per call)' })
  @ApiOkResponse({ type: ReplayAllResultDto })
  replayAll(): Promise<ReplayAllResultDto> {
    return this.deadLetters.replayAll();
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay one dead letter',
    description: 'A delivery of a sensitive notification (one-time link) is not replayable: its content is discarded when it fails (409).',
  })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiProblemResponses(404, 409, 422)
  replay(@Param('id') id: string): Promise<ReplayResultDto> {
    return this.deadLetters.replay(id);
  }
}
