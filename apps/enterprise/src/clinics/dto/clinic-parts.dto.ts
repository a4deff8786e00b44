import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsCalendarDate, Text, TimeOfDay } from '../../common/validation.js';

export class AddressDto {
  @Text(1, 200, { example: '12 Rue de Rivoli' })
  line1: string;

  @Text(1, 200, { optional: true, example: 'Bâtiment B' })
  line2?: string;

  @Text(1, 100, { example: 'Paris' })
  city: string;

  @Text(1, 20, { example: '75001' })
  postalCode: string;

  @Text(1, 100, { optional: true, example: 'Île-de-France' })
  region?: string;

  @ApiProperty({ example: 'FR', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as FR' })
  country: string;
}

export class ContactDto {
  @ApiPropertyOptional({ example: '+33142000000', description: 'E.164' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in E.164 form such as +33142000000' })
  phone?: string;

  @ApiPropertyOptional({ example: 'rivoli@brightsmiles.example' })
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class OpeningHoursDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1, description: 'ISO weekday, Monday = 1' })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;

  @TimeOfDay({ example: '08:30' })
  opens: string;

  @TimeOfDay({ example: '18:00' })
  closes: string;
}

export class ClosureDto {
  @ApiProperty({ example: '2026-12-24', description: 'First closed date, inclusive' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2026-12-26', description: 'Last closed date, inclusive' })
  @IsCalendarDate()
  to: string;

  @Text(1, 200, { example: 'Christmas' })
  reason: string;
}
