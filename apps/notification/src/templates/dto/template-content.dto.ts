import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

export const LOCALE_PATTERN = /^[a-z]{2}(-[A-Z]{2})?$/;
const VARIABLE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CATEGORY_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

export class EmailContentDto {
  @ApiProperty({ example: 'Welcome to DentalOS, {{name}}' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  subject: string;

  @ApiProperty({ example: '<p>Hello {{name}}, <a href="{{link}}">verify your email</a>.</p>' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  html: string;

  @ApiProperty({ example: 'Hello {{name}}, verify your email: {{link}}' })
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  text: string;
}

export class SmsContentDto {
  @ApiProperty({ example: 'DentalOS: your code is {{code}}' })
  @IsString()
  @MinLength(1)
  @MaxLength(1600)
  text: string;
}

export class PushContentDto {
  @ApiProperty({ example: 'New assignment' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'You now work at {{clinicName}}.' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  body: string;

  @ApiPropertyOptional({ example: { clinicId: '{{clinicId}}' }, description: 'String values; each is a template too' })
  @IsOptional()
  @IsObject()
  data?: Record<string, string>;
}

export class TemplateVariantDto {
  @ApiProperty({ example: 'en', description: 'BCP 47 language, optionally with region (en, de-CH)' })
  @Matches(LOCALE_PATTERN, { message: 'locale must look like en or de-CH' })
  locale: string;

  @ApiPropertyOptional({ type: EmailContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailContentDto)
  email?: EmailContentDto;

  @ApiPropertyOptional({ type: SmsContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SmsContentDto)
  sms?: SmsContentDto;

  @ApiPropertyOptional({ type: PushContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PushContentDto)
  push?: PushContentDto;
}

/** Everything about a template except its key: what creates and updates share. */
export class TemplateContentDto {
  @ApiProperty({ example: 'Welcome email' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'account', description: 'Preference category; security and password-reset are critical' })
  @Matches(CATEGORY_PATTERN, { message: 'category must be lower-case kebab-case' })
  category: string;

  @ApiPropertyOptional({ example: 'Sent when an account is created.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ example: ['name', 'link'], description: 'Every variable a render must receive, no more and no fewer' })
  @ArrayMaxSize(50)
  @Matches(VARIABLE_PATTERN, { each: true, message: 'each variable must be an identifier' })
  variables: string[];

  @ApiProperty({ example: 'en' })
  @Matches(LOCALE_PATTERN, { message: 'defaultLocale must look like en or de-CH' })
  defaultLocale: string;

  @ApiProperty({ type: [TemplateVariantDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariantDto)
  variants: TemplateVariantDto[];
}
