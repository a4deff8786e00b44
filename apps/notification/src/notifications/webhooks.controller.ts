import { Body, Headers, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { Public, ApiController, ApiProblemResponses } from '@dentalos/core';
import { CHANNELS, type Channel } from '../common/channels.js';
import { DeliveryReportDto, DeliveryReportResultDto } from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiController('notifications/webhooks', 'notifications')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post(':channel')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Provider delivery report (delivered / bounced); authenticated by X-Webhook-Secret' })
  @ApiParam({ name: 'channel', enum: CHANNELS })
  @ApiHeader({ name: 'X-Webhook-Secret', required: true })
  @ApiOkResponse({ type: DeliveryReportResultDto })
  @ApiProblemResponses(400, 401, 404)
  report(
    @Param('channel', new ParseEnumPipe(CHANNELS)) channel: Channel,
    @Headers('x-webhook-secret') secret: string | undefined,
    @Body() dto: DeliveryReportDto,
  ): Promise<DeliveryReportResultDto> {
    return this.webhooks.report(channel, secret, dto);
  }
}
