import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches, ValidateNested } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination.js';
import { OneOf, SortKeys, Text } from '../../common/validation.js';
import { TIERS } from '../plans.js';
import { SettingsDto } from './organization-settings.dto.js';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class CreateOrganizationDto {
  @Text(1, 120, { example: 'Bright Smiles Group' })
  name: string;

  @ApiProperty({ example: 'bright-smiles', pattern: SLUG_PATTERN.source, description: 'Unique, lowercase, URL-safe' })
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and inner hyphens (max 63)' })
  slug: string;

  @OneOf(TIERS, { optional: true, default: 'free', example: 'basic' })
  tier?: (typeof TIERS)[number];

  @ApiPropertyOptional({ type: SettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;
}

export class UpdateOrganizationDto {
  @Text(1, 120, { optional: true, example: 'Bright Smiles Group' })
  name?: string;

  @OneOf(TIERS, { optional: true, example: 'professional', description: 'Changing the tier needs org:billing' })
  tier?: (typeof TIERS)[number];

  @OneOf(['active', 'suspended'], { optional: true, example: 'active' })
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({ type: SettingsDto, description: 'Replaces the organization settings' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;
}

export class ListOrganizationsQuery extends PageQueryDto {
  @OneOf(['active', 'suspended', 'archived'], { optional: true, description: 'Default: everything but archived' })
  status?: string;

  @OneOf(TIERS, { optional: true })
  tier?: string;

  @SortKeys(['name', 'createdAt'], 'name')
  sort?: string;
}

class LimitsDto {
  @ApiProperty({ example: 5 })
  maxActiveClinics: number;

  @ApiProperty({ example: 25 })
  maxActiveProviders: number;
}

class FeaturesDto {
  @ApiProperty({ example: false })
  customRoles: boolean;

  @ApiProperty({ example: true })
  onlineBooking: boolean;

  @ApiProperty({ example: false })
  fullAuditHistory: boolean;
}

class UsageDto {
  @ApiProperty({ example: 2 })
  activeClinics: number;

  @ApiProperty({ example: 7 })
  activeProviders: number;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid', example: '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f' })
  id: string;

  @ApiProperty({ example: 'Bright Smiles Group' })
  name: string;

  @ApiProperty({ example: 'bright-smiles' })
  slug: string;

  @ApiProperty({ enum: ['active', 'suspended', 'archived'], example: 'active' })
  status: string;

  @ApiProperty({ enum: TIERS, example: 'basic' })
  tier: string;

  @ApiProperty({ type: LimitsDto })
  limits: LimitsDto;

  @ApiProperty({ type: FeaturesDto })
  features: FeaturesDto;

  @ApiProperty({ type: UsageDto })
  usage: UsageDto;

  @ApiProperty({ type: SettingsDto, description: 'Organization settings with defaults filled in' })
  settings: SettingsDto;

  @ApiProperty({ example: 3, description: 'Also sent as the ETag header' })
  version: number;

  @ApiProperty({ example: 'usr_7f3a9c' })
  createdBy: string;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  updatedAt: string;
}

export class OrganizationPageDto extends PageMetaDto {
  @ApiProperty({ type: [OrganizationDto] })
  items: OrganizationDto[];
}
