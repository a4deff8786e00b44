import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TemplateVariantDto } from './template-content.dto.js';

export class TemplateResponseDto {
  @ApiProperty({ example: 'welcome' })
  key: string;

  @ApiProperty({ example: 'Welcome email' })
  name: string;

  @ApiProperty({ example: 'account' })
  category: string;

  @ApiPropertyOptional({ example: 'Sent when an account is created.' })
  description?: string;

  @ApiProperty({ example: ['name', 'link'] })
  variables: string[];

  @ApiProperty({ example: 'en' })
  defaultLocale: string;

  @ApiProperty({ type: [TemplateVariantDto] })
  variants: TemplateVariantDto[];

  @ApiProperty({ example: true })
  active: boolean;

  @ApiProperty({ example: 2 })
  version: number;

  @ApiPropertyOptional({ example: '2026-01-05T10:00:00.000Z' })
  createdAt?: string;

  @ApiPropertyOptional({ example: '2026-01-06T10:00:00.000Z' })
  updatedAt?: string;
}

