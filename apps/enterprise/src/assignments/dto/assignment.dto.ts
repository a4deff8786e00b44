import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsEntityId, IsUserId } from '../../common/ids.js';
import { PageMetaDto, PageQueryDto } from '../../common/pagination.js';
import { IsCalendarDate, IsInstant, OneOf, SortKeys, Text, TimeOfDay } from '../../common/validation.js';

export class WeeklySlotDto {
  @ApiProperty({ minimum: 1, maximum: 7, example: 1, description: 'ISO weekday, Monday = 1' })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;

  @TimeOfDay({ example: '09:00', description: 'Local time at the clinic, inclusive' })
  start: string;

  @TimeOfDay({ example: '13:00', description: 'Local time at the clinic, exclusive; later than start' })
  end: string;
}

export class ExceptionDto {
  @ApiProperty({ format: 'date-time', example: '2026-08-03T00:00:00+02:00', description: 'Not available from this instant (RFC 3339; a plain date means midnight UTC)' })
  @IsInstant()
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-08-17T00:00:00+02:00', description: 'Until this instant, exclusive (RFC 3339; a plain date means midnight UTC)' })
  @IsInstant()
  to: string;

  @Text(1, 200, { optional: true, example: 'Summer leave' })
  reason?: string;
}

export class CreateAssignmentDto {
  @IsUserId('The provider (a user id)')
  providerId: string;

  @IsEntityId('Clinic the provider works at')
  clinicId: string;

  @ApiProperty({ example: 'dentist', description: "One of the clinic's provider roles" })
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'role must be a role key such as dentist' })
  role: string;

  @ApiProperty({ example: '2026-03-02', description: 'First day (clinic-local), inclusive' })
  @IsCalendarDate()
  from: string;

  @ApiPropertyOptional({ example: '2026-12-31', nullable: true, description: 'Day the assignment stops (exclusive); omit or null for open ended' })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsCalendarDate()
  to?: string | null;

  @ApiProperty({ type: [WeeklySlotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(42)
  @ValidateNested({ each: true })
  @Type(() => WeeklySlotDto)
  slots: WeeklySlotDto[];

  @ApiPropertyOptional({ type: [ExceptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ExceptionDto)
  exceptions?: ExceptionDto[];

  @ApiPropertyOptional({
    example: true,
    description:
      "Make this the provider's primary clinic on all its dates; whoever was primary on them is demoted on those dates only. The provider's first assignment, and any assignment on dates no other one covers, is primary without asking.",
  })
  @IsOptional()
  @IsBoolean()
  primary?: boolean;
}

/** The schedule part of an assignment; who, where, in what role and from when stay fixed. */
export class UpdateAssignmentDto extends PartialType(PickType(CreateAssignmentDto, ['slots', 'exceptions', 'primary'] as const)) {}

export class EndAssignmentDto {
  @ApiPropertyOptional({ example: '2026-06-30', description: 'Day the assignment stops (exclusive); default today (UTC)' })
  @IsOptional()
  @IsCalendarDate()
  endDate?: string;

  @Text(1, 200, { optional: true, example: 'Moved to another clinic' })
  reason?: string;
}

export class ListAssignmentsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, { message: 'clinicId must be a UUID' })
  clinicId?: string;

  @ApiPropertyOptional({ example: 'usr_7f3a9c' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'providerId must be a user id' })
  providerId?: string;

  @OneOf(['active', 'ended'], { optional: true })
  status?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only assignments whose `primary` is this value' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  primary?: boolean;

  @SortKeys(['from', 'createdAt'], 'from')
  sort?: string;
}

export class PrimaryPeriodDto {
  @ApiProperty({ example: '2026-03-02', description: 'First day (clinic-local), inclusive' })
  from: string;

  @ApiProperty({ example: null, nullable: true, type: String, description: 'Day it stops (exclusive); null = as long as the assignment' })
  to: string | null;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  organizationId: string;

  @ApiProperty({ format: 'uuid' })
  clinicId: string;

  @ApiProperty({ example: 'usr_7f3a9c' })
  providerId: string;

  @ApiProperty({ example: 'dentist' })
  role: string;

  @ApiProperty({ example: '2026-03-02' })
  from: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  to: string | null;

  @ApiProperty({ example: 'Europe/Paris' })
  timeZone: string;

  @ApiProperty({ type: [WeeklySlotDto] })
  slots: WeeklySlotDto[];

  @ApiProperty({ type: [ExceptionDto] })
  exceptions: ExceptionDto[];

  @ApiProperty({
    example: true,
    description: "Whether this is the provider's primary clinic today (UTC), or, for an assignment starting later, on its first day",
  })
  primary: boolean;

  @ApiProperty({
    type: [PrimaryPeriodDto],
    example: [{ from: '2026-03-02', to: null }],
    description:
      "The dates on which this is the provider's primary clinic, sorted. On every date where a provider has at least one assignment exactly one of them is primary: a new primary takes its own dates only, and dates left by an ended or shortened primary go to the earliest-created assignment still covering them.",
  })
  primaryPeriods: PrimaryPeriodDto[];

  @ApiProperty({ enum: ['active', 'ended'], example: 'active' })
  status: string;

  @ApiPropertyOptional({ example: '2026-06-30T10:00:00.000Z' })
  endedAt?: string;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  createdAt: string;
}

export class AssignmentPageDto extends PageMetaDto {
  @ApiProperty({ type: [AssignmentDto] })
  items: AssignmentDto[];
}

class ConflictIntervalDto {
  @ApiProperty({ example: '2026-03-30T07:00:00.000Z' })
  start: string;

  @ApiProperty({ example: '2026-03-30T08:00:00.000Z' })
  end: string;
}

/** Documents the extension members of the 409 ASSIGNMENT_CONFLICT problem. */
export class AssignmentConflictDto {
  @ApiProperty({ example: 'ASSIGNMENT_CONFLICT' })
  code: string;

  @ApiProperty({ type: Object, example: { assignmentId: '…', clinicId: '…', date: '2026-03-30', interval: { start: '2026-03-30T07:00:00.000Z', end: '2026-03-30T08:00:00.000Z' } } })
  conflict: { assignmentId: string; clinicId: string; date: string; interval: ConflictIntervalDto };
}
