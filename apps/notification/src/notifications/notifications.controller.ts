import { Body, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, PLATFORM_ADMIN, Roles } from '@dentalos/auth';
import { ApiController, ApiProblemResponses } from '@dentalos/core';
import { ListNotificationsQuery, StatsQuery } from './dto/list-notifications.query.js';
import { DeliveryStatsDto, NotificationResponseDto } from './dto/notification.response.dto.js';
import { SendNotificationDto } from './dto/send-notification.dto.js';
import { NotificationsService } from './notifications.service.js';

/** Callers allowed to send: operators and internal services holding this role. */
export const NOTIFICATION_SENDER = 'notification-sender';

@ApiController('notifications')
@ApiBearerAuth('bearer')
@ApiProblemResponses(400, 401)
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @HttpCode(202)
  @Roles(PLATFORM_ADMIN, NOTIFICATION_SENDER)
  @ApiOperation({ summary: 'Accept a notification for delivery' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key + same body replays the first answer; another body is a 422' })
  @ApiAcceptedResponse({ type: NotificationResponseDto })
  @ApiProblemResponses(403, 404, 413, 422)
  send(@CurrentUser() caller: AuthUser, @Body() dto: SendNotificationDto, @Headers('idempotency-key') key?: string): Promise<NotificationResponseDto> {
    return this.notifications.send(caller, dto, key);
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s notifications, newest first' })
  @ApiOkResponse({ type: [NotificationResponseDto] })
  mine(@CurrentUser() caller: AuthUser, @Query() query: ListNotificationsQuery): Promise<NotificationResponseDto[]> {
    return this.notifications.listMine(caller, query);
  }

  @Get('stats')
  @Roles(PLATFORM_ADMIN)
  @ApiOperation({ summary: 'Delivery counts per channel and status' })
  @ApiOkResponse({ type: [DeliveryStatsDto] })
  @ApiProblemResponses(403)
  stats(@Query() query: StatsQuery): Promise<DeliveryStatsDto[]> {
    return this.notifications.stats(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One notification with per-channel status, timestamps, attempts and last provider response' })
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiProblemResponses(404)
  get(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<NotificationResponseDto> {
    return this.notifications.get(caller, id);
  }
}
