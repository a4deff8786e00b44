import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Organization defaults or clinic overrides: every field optional, absent = inherit. */
export class SettingsDto {
  @ApiPropertyOptional({ example: 'fr-FR', description: 'BCP 47 language tag' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(?:-[A-Z]{2})?$/, { message: 'locale must look like fr-FR' })
  locale?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 currency code' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ example: 30, minimum: 5, maximum: 480 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(480)
  appointmentDurationMinutes?: number;

  @ApiPropertyOptional({ example: 24, minimum: 0, maximum: 720 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  cancellationNoticeHours?: number;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  onlineBookingEnabled?: boolean;
}
