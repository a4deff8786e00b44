import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CHANNELS, type Channel } from '../../common/channels.js';
import { LOCALE_PATTERN } from '../../templates/dto/template-content.dto.js';

export class SendNotificationDto {
  @ApiProperty({ example: '5f0c1b9e-1111-4000-8000-000000000000', description: 'Recipient user id' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  userId: string;

  @ApiProperty({ example: 'appointment-reminder', description: 'Template key' })
  @IsString()
  @MinLength(1)
  @MaxLength(63)
  template: string;

  @ApiProperty({ example: { name: 'Ada', when: 'Tuesday 10:00' }, description: 'Exactly the template’s declared variables' })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({ enum: CHANNELS, isArray: true, example: ['email', 'sms'], description: 'Defaults to every channel the template has' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels?: Channel[];

  @ApiPropertyOptional({ example: 'de', description: 'Defaults to the recipient’s locale' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must look like en or de-CH' })
  locale?: string;
}
