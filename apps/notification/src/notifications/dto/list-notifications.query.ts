import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ example: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}

export class StatsQuery {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'Only notifications created since' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;
}
