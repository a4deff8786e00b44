import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination.js';
import { IsInstant, OneOf, SortKeys } from '../../common/validation.js';

const TOKEN = /^[A-Za-z0-9._:-]{1,100}$/;

export class AuditQuery extends PageQueryDto {
  @OneOf(['organization', 'clinic', 'assignment', 'binding', 'role'], { optional: true })
  resourceType?: string;

  @ApiPropertyOptional({ example: '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f' })
  @IsOptional()
  @Matches(TOKEN, { message: 'resourceId must be an id' })
  resourceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Changes concerning this clinic (the clinic itself, its assignments and bindings)' })
  @IsOptional()
  @IsUUID('4')
  clinicId?: string;

  @ApiPropertyOptional({ example: 'usr_7f3a9c' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'actorId must be a user id' })
  actorId?: string;

  @ApiPropertyOptional({ example: 'clinic.update' })
  @IsOptional()
  @Matches(/^[a-z]+\.[a-z-]+$/, { message: 'action must look like clinic.update' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00Z', description: 'Entries at or after this instant (RFC 3339)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-02-01T00:00:00Z', description: 'Entries before this instant (RFC 3339)' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @SortKeys(['at'], '-at')
  sort?: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  at: string;

  @ApiProperty({ example: 'usr_7f3a9c' })
  actorId: string;

  @ApiProperty({ example: 'clinic.update' })
  action: string;

  @ApiProperty({ example: 'clinic' })
  resourceType: string;

  @ApiProperty({ example: '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f' })
  resourceId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null, description: 'The clinic the change concerns; null at the organization level' })
  clinicId: string | null;

  @ApiProperty({ type: Object, nullable: true, example: { name: 'Old name' } })
  before: Record<string, unknown> | null;

  @ApiProperty({ type: Object, nullable: true, example: { name: 'New name' } })
  after: Record<string, unknown> | null;

  @ApiProperty({ example: '4f1c2d3e-0000-4000-8000-000000000000' })
  requestId: string;
}

export class AuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];
}
