import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsTimeZone, Length, Matches } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Optional display name: trimmed, 1-100 characters. */
export const DisplayNameField = () =>
  applyDecorators(ApiPropertyOptional({ example: 'Dr. Ana Silva', minLength: 1, maxLength: 100 }), IsOptional(), Transform(trim), IsString(), Length(1, 100));

/** BCP 47 language tag as used for email templates, e.g. `en`, `pt-BR`. */
export const LocaleField = () =>
  applyDecorators(
    ApiPropertyOptional({ example: 'pt-BR', description: 'BCP 47 language tag', default: 'en' }),
    IsOptional(),
    Matches(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/, { message: 'locale must be a BCP 47 tag such as en or pt-BR' }),
  );

/** IANA time zone, e.g. `Europe/Lisbon`. */
export const TimezoneField = () =>
  applyDecorators(ApiPropertyOptional({ example: 'Europe/Lisbon', description: 'IANA time zone', default: 'UTC' }), IsOptional(), IsTimeZone());
