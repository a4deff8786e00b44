import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { USER_STATUSES, type UserStatus } from '../user.schema.js';
import { UserProfileDto } from './user-profile.dto.js';

export class AuditEntryDto {
  @ApiProperty({ example: '2025-06-01T09:00:00.000Z' })
  at: string;

  @ApiProperty({ example: 'account-locked', description: 'account-locked, account-unlocked, deactivated, reactivated, password-reset' })
  action: string;

  @ApiPropertyOptional({ example: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', description: 'Admin who acted, when not the system' })
  actorId?: string;

  @ApiPropertyOptional({ example: 'locked for 900 s after 5 failed logins' })
  detail?: string;
}

export class AdminUserDto extends UserProfileDto {
  @ApiProperty({ enum: USER_STATUSES, example: 'active' })
  status: UserStatus;

  @ApiProperty({ nullable: true, type: String, example: null, description: 'Set while login is locked' })
  lockedUntil: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2025-06-01T09:10:00.000Z' })
  lastLoginAt: string | null;

  @ApiProperty({ type: [AuditEntryDto] })
  audit: AuditEntryDto[];
}

export class UserPageDto {
  @ApiProperty({ type: [AdminUserDto] })
  items: AdminUserDto[];

  @ApiProperty({ nullable: true, type: String, example: 'eyJjIjoiMjAyNS0wNi0wMVQwODozMDowMC4wMDBaIiwiaSI6IjdkMWYifQ', description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
