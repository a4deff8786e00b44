import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, Matches } from 'class-validator';
import { toBoolean } from '@dentalos/core';
import { PageQuery } from '../../common/page.query.js';

export class ListTemplatesQuery extends PageQuery(200) {
  @ApiPropertyOptional({ example: 'security' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/)
  category?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

}
