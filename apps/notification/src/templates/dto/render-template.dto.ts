import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, Matches } from 'class-validator';
import { CHANNELS, type Channel } from '../../common/channels.js';
import { LOCALE_PATTERN } from './template-content.dto.js';

export class RenderTemplateDto {
  @ApiProperty({ example: { name: 'Ada', link: 'https://app.dentalos.local/verify-email?token=abc' } })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'de', description: 'Falls back to the language, then to the default locale' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must look like en or de-CH' })
  locale?: string;

  @ApiPropertyOptional({ enum: CHANNELS, isArray: true, example: ['email'] })
  @IsOptional()
  @IsIn(CHANNELS, { each: true })
  channels?: Channel[];
}

export class RenderedTemplateDto {
  @ApiProperty({ example: 'welcome' })
  key: string;

  @ApiProperty({ example: 2 })
  version: number;

  @ApiProperty({ example: 'en' })
  locale: string;

  @ApiProperty({ example: { email: { subject: 'Welcome, Ada', html: '<p>Hello Ada</p>', text: 'Hello Ada' } } })
  content: Record<string, unknown>;
}
