import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { TemplateContentDto } from './template-content.dto.js';

export class CreateTemplateDto extends TemplateContentDto {
  @ApiProperty({ example: 'welcome', description: 'Stable key callers send with' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'key must be 2-63 lower-case letters, digits or dashes' })
  key: string;
}
