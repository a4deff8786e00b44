import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page.query.js';

export class ListDeadLettersQuery extends PageQuery(500) {
  @ApiPropertyOptional({ enum: ['open', 'replayed'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'replayed'])
  state: 'open' | 'replayed' = 'open';

  @ApiPropertyOptional({ enum: ['delivery', 'event'] })
  @IsOptional()
  @IsIn(['delivery', 'event'])
  kind?: 'delivery' | 'event';

}

export class DeadLetterDto {
  @ApiProperty({ example: 'delivery:0b6c8a1e-2222-4000-8000-000000000000:sms' })
  id: string;

  @ApiProperty({ enum: ['delivery', 'event'], example: 'delivery' })
  kind: string;

  @ApiProperty({ enum: ['open', 'replayed'], example: 'open' })
  state: string;

  @ApiProperty({ example: 'gave up after 4 attempts' })
  reason: string;

  @ApiProperty({ example: 'Twilio answered 503: Service Unavailable' })
  error: string;

  @ApiPropertyOptional({ example: '0b6c8a1e-2222-4000-8000-000000000000' })
  notificationId?: string;

  @ApiPropertyOptional({ example: 'sms' })
  channel?: string;

  @ApiPropertyOptional({ example: 4 })
  attempts?: number;

  @ApiPropertyOptional({ example: 'events.enterprise' })
  stream?: string;

  @ApiPropertyOptional({ example: 'assignment.created' })
  eventType?: string;

  @ApiPropertyOptional({ example: '9d1c…', description: 'CloudEvent id' })
  eventId?: string;

  @ApiProperty({ example: 0 })
  replays: number;

  @ApiProperty({ example: '2026-01-05T10:00:00.000Z' })
  createdAt: string;
}

export class ReplayResultDto {
  @ApiProperty({ example: 'delivery:0b6c8a1e-2222-4000-8000-000000000000:sms' })
  id: string;

  @ApiProperty({ example: 'replayed' })
  state: string;
}

export class ReplayAllResultDto {
  @ApiProperty({ example: 12 })
  replayed: number;

  @ApiProperty({ example: 1 })
  failed: number;

  @ApiProperty({ type: [String], example: ['event:9d1c…'] })
  failedIds: string[];
}
