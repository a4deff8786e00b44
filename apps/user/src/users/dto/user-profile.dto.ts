import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class UserProfileDto {
  @ApiProperty({ example: '7d1f0c52-2a3b-4c5d-8e9f-0a1b2c3d4e5f' })
  id: string;

  @ApiProperty({ example: 'ana.silva@clinic.example' })
  email: string;

  @ApiPropertyOptional({ example: 'Dr. Ana Silva' })
  displayName?: string;

  @ApiProperty({ example: 'pt-BR' })
  locale: string;

  @ApiProperty({ example: 'Europe/Lisbon' })
  timezone: string;

  @ApiProperty({ example: true })
  emailVerified: boolean;

  @ApiProperty({ example: [], type: [String] })
  roles: string[];

  @ApiProperty({ example: '2025-06-01T08:30:00.000Z' })
  createdAt: string;
}
