import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { USER_STATUSES, type UserStatus } from '../user.schema.js';

export class ListUsersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be a nextCursor value from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Email prefix to search for (case-insensitive)', example: 'ana' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Length(1, 254)
  q?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES.filter((status) => status !== 'deleted') })
  @IsOptional()
  @IsIn(['active', 'deactivated'])
  status?: Exclude<UserStatus, 'deleted'>;
}
