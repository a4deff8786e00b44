import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** A provider's delivery report, normalised by the provider integration in front of this endpoint. */
export class DeliveryReportDto {
  @ApiProperty({ example: 'SM0123456789abcdef', description: 'The provider message id returned at send time' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  messageId: string;

  @ApiProperty({ enum: ['delivered', 'bounced'], example: 'delivered' })
  @IsIn(['delivered', 'bounced'])
  event: 'delivered' | 'bounced';

  @ApiPropertyOptional({ example: '550 5.1.1 mailbox unavailable' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  detail?: string;
}

export class DeliveryReportResultDto {
  @ApiProperty({ example: true, description: 'False when the report did not change the status (e.g. delivered after bounced)' })
  applied: boolean;

  @ApiProperty({ example: 'delivered' })
  status: string;
}
