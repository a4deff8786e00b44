import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination.js';
import { IsTimeZone, OneOf, SortKeys, Text } from '../../common/validation.js';
import { SettingsDto } from '../../organizations/dto/organization-settings.dto.js';
import { AddressDto, ClosureDto, ContactDto, OpeningHoursDto } from './clinic-parts.dto.js';

const CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/;
const ROLE_KEY = /^[a-z][a-z0-9-]{1,39}$/;

export class CreateClinicDto {
  @Text(1, 120, { example: 'Rivoli' })
  name: string;

  @ApiProperty({ example: 'PAR-01', pattern: CODE.source, description: 'Unique within the organization' })
  @Matches(CODE, { message: 'code must be 1-20 uppercase letters, digits or hyphens' })
  code: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsTimeZone()
  timeZone: string;

  @ApiProperty({ type: AddressDto })
  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ type: [OpeningHoursDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto[];

  @ApiPropertyOptional({ type: [ClosureDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => ClosureDto)
  closures?: ClosureDto[];

  @ApiPropertyOptional({ example: ['dentist', 'hygienist'], description: 'Roles providers may hold here (built-in or custom role keys)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(ROLE_KEY, { each: true, message: 'each role must be a role key such as dentist' })
  providerRoles?: string[];

  @ApiPropertyOptional({ type: SettingsDto, description: 'Overrides of the organization settings' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SettingsDto)
  settings?: SettingsDto;
}

/** Every creation field but the code (a clinic's code is its stable identity), all optional. */
export class UpdateClinicDto extends PartialType(OmitType(CreateClinicDto, ['code'] as const)) {
  @OneOf(['active', 'inactive'], { optional: true, example: 'inactive', description: 'Activating takes a plan slot' })
  status?: 'active' | 'inactive';
}

export class ListClinicsQuery extends PageQueryDto {
  @OneOf(['active', 'inactive', 'archived'], { optional: true, description: 'Default: everything but archived' })
  status?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'PAR-01' })
  @IsOptional()
  @Matches(CODE, { message: 'code must be 1-20 uppercase letters, digits or hyphens' })
  code?: string;

  @SortKeys(['name', 'code', 'createdAt'], 'name')
  sort?: string;
}

export class EffectiveSettingDto {
  @ApiProperty({
    description: 'The value in force at this clinic',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }],
    example: 30,
  })
  value: unknown;

  @ApiProperty({ enum: ['clinic', 'organization', 'default'], example: 'organization' })
  source: 'clinic' | 'organization' | 'default';
}

export class ClinicDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  organizationId: string;

  @ApiProperty({ example: 'Rivoli' })
  name: string;

  @ApiProperty({ example: 'PAR-01' })
  code: string;

  @ApiProperty({ enum: ['active', 'inactive', 'archived'], example: 'active' })
  status: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timeZone: string;

  @ApiProperty({ type: AddressDto })
  address: AddressDto;

  @ApiProperty({ type: ContactDto })
  contact: ContactDto;

  @ApiProperty({ type: [OpeningHoursDto] })
  openingHours: OpeningHoursDto[];

  @ApiProperty({ type: [ClosureDto] })
  closures: ClosureDto[];

  @ApiProperty({ example: ['dentist', 'hygienist', 'assistant'] })
  providerRoles: string[];

  @ApiProperty({ type: SettingsDto, description: 'The clinic’s own overrides' })
  settings: SettingsDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/EffectiveSettingDto' },
    example: { currency: { value: 'EUR', source: 'organization' }, appointmentDurationMinutes: { value: 45, source: 'clinic' } },
    description: 'Every setting in force here and where its value comes from',
  })
  effectiveSettings: Record<string, EffectiveSettingDto>;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  updatedAt: string;
}

export class ClinicPageDto extends PageMetaDto {
  @ApiProperty({ type: [ClinicDto] })
  items: ClinicDto[];
}
