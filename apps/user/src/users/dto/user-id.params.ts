import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class UserIdParams {
  @ApiProperty({ example: '7d1f0c52-2a3b-4c5d-8e9f-0a1b2c3d4e5f' })
  @IsUUID()
  id: string;
}
