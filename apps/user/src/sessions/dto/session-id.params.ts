import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class SessionIdParams {
  @ApiProperty({ example: '3f0c9a52-6a8e-4f0b-9d59-2f8f3c1c7b10' })
  @IsUUID()
  id: string;
}
