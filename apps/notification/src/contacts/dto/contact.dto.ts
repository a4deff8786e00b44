import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsEmail, IsOptional, IsString, IsTimeZone, Matches, MaxLength } from 'class-validator';
import { LOCALE_PATTERN } from '../../templates/dto/template-content.dto.js';

/** What a user may change about how they are reached. */
export class UpdateMyContactDto {
  @ApiPropertyOptional({ example: '+41791234567', description: 'E.164' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in E.164 format, e.g. +41791234567' })
  phone?: string;

  @ApiPropertyOptional({ example: ['fcm-registration-token'], description: 'Device registration tokens for push' })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  pushTokens?: string[];

  @ApiPropertyOptional({ example: 'de-CH' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must look like en or de-CH' })
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Zurich' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;
}

/** Operators can set everything, e.g. to fix a contact before replaying a dead letter. */
export class UpdateContactDto extends UpdateMyContactDto {
  @ApiPropertyOptional({ example: 'ada@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'org-1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organizationId?: string;
}

export class ContactResponseDto {
  @ApiProperty({ example: '5f0c1b9e-1111-4000-8000-000000000000' })
  userId: string;

  @ApiPropertyOptional({ example: 'ada@example.com' })
  email?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  name?: string;

  @ApiPropertyOptional({ example: '+41791234567' })
  phone?: string;

  @ApiPropertyOptional({ example: ['fcm-registration-token'] })
  pushTokens?: string[];

  @ApiPropertyOptional({ example: 'en' })
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Zurich' })
  timezone?: string;

  @ApiPropertyOptional({ example: 'org-1' })
  organizationId?: string;
}
