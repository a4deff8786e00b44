import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page.query.js';

export class ListNotificationsQuery extends PageQuery(200) {}

export class StatsQuery {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'Only notifications created since' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;
}
