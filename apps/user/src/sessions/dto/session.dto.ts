import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ example: '3f0c9a52-6a8e-4f0b-9d59-2f8f3c1c7b10' })
  id: string;

  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)' })
  userAgent: string | null;

  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ example: '2025-06-01T08:30:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2025-06-01T09:10:00.000Z' })
  lastSeenAt: string;

  @ApiProperty({ description: 'The session the calling access token belongs to', example: true })
  current: boolean;
}

export class RevokedCountDto {
  @ApiProperty({ example: 2 })
  revoked: number;
}
