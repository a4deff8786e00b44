import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsOptional, IsTimeZone, Matches, ValidateNested } from 'class-validator';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ChannelTogglesDto {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  sms?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  push?: boolean;
}

export class CategoryPreferenceDto extends ChannelTogglesDto {
  @ApiProperty({ example: 'marketing' })
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'category must be lower-case kebab-case' })
  category: string;
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', description: 'Local time, HH:mm' })
  @Matches(TIME, { message: 'start must be HH:mm' })
  start: string;

  @ApiProperty({ example: '07:00', description: 'Local time, HH:mm; before start means the window spans midnight' })
  @Matches(TIME, { message: 'end must be HH:mm' })
  end: string;

  @ApiPropertyOptional({ example: 'Europe/Zurich', description: 'Defaults to the user’s timezone' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;
}

/** The whole set of preferences (PUT replaces it). */
export class PreferencesDto {
  @ApiPropertyOptional({ type: ChannelTogglesDto, description: 'Per channel, all categories' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelTogglesDto)
  channels?: ChannelTogglesDto;

  @ApiPropertyOptional({ type: [CategoryPreferenceDto], description: 'Per category and channel; wins over `channels`' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CategoryPreferenceDto)
  categories?: CategoryPreferenceDto[];

  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;
}

export class MyPreferencesResponseDto {
  @ApiProperty({ type: PreferencesDto, description: 'What the user set; empty after a reset' })
  user: PreferencesDto;

  @ApiProperty({ type: PreferencesDto, description: 'Defaults of the user’s organization' })
  organization: PreferencesDto;

  @ApiProperty({ example: ['security', 'password-reset'], description: 'Always sent, whatever the preferences' })
  criticalCategories: string[];
}
