import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { TemplateContentDto } from './template-content.dto.js';

export class UpdateTemplateDto extends TemplateContentDto {
  @ApiProperty({ example: 3, description: 'The version this change was based on; a newer one on the server is a 409' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}
