import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsUserId } from '../../common/ids.js';
import { PageMetaDto, PageQueryDto } from '../../common/pagination.js';
import { OneOf, SortKeys, Text } from '../../common/validation.js';
import { PERMISSIONS } from '../permissions.js';

const ROLE_KEY = /^[a-z][a-z0-9-]{1,39}$/;

export class CreateRoleDto {
  @ApiProperty({ example: 'front-desk-lead', pattern: ROLE_KEY.source })
  @Matches(ROLE_KEY, { message: 'key must be 2-40 lowercase letters, digits or hyphens' })
  key: string;

  @Text(1, 80, { example: 'Front desk lead' })
  name: string;

  @Text(0, 500, { optional: true, example: 'Receptionist who also manages schedules' })
  description?: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['clinic:read', 'assignment:read', 'assignment:update'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn([...PERMISSIONS], { each: true })
  permissions: string[];
}

export class UpdateRoleDto {
  @Text(1, 80, { optional: true, example: 'Front desk lead' })
  name?: string;

  @Text(0, 500, { optional: true, example: 'Receptionist who also manages schedules' })
  description?: string;

  @ApiPropertyOptional({ enum: PERMISSIONS, isArray: true, example: ['clinic:read', 'assignment:read'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn([...PERMISSIONS], { each: true })
  permissions?: string[];
}

export class RoleDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'front-desk-lead' })
  key: string;

  @ApiProperty({ example: 'Front desk lead' })
  name: string;

  @ApiProperty({ example: 'Receptionist who also manages schedules' })
  description: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  permissions: string[];

  @ApiProperty({ example: 1 })
  version: number;
}

export class RolePageDto extends PageMetaDto {
  @ApiProperty({ type: [RoleDto] })
  items: RoleDto[];
}

export class ListRolesQuery extends PageQueryDto {
  @SortKeys(['key', 'createdAt'], 'key')
  sort?: string;
}

export class CreateBindingDto {
  @IsUserId('Member receiving the role')
  userId: string;

  @ApiProperty({ example: 'clinic-manager', description: 'Built-in role key or custom role key' })
  @Matches(ROLE_KEY, { message: 'role must be a role key such as clinic-manager' })
  role: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Limit the binding to one clinic; omit for the whole organization' })
  @IsOptional()
  @IsUUID('4')
  clinicId?: string;

  @OneOf(['allow', 'deny'], { optional: true, default: 'allow', example: 'allow', description: 'A deny wins over any allow' })
  effect?: 'allow' | 'deny';
}

export class BindingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'usr_7f3a9c' })
  userId: string;

  @ApiProperty({ example: 'clinic-manager' })
  role: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: null })
  clinicId: string | null;

  @ApiProperty({ enum: ['allow', 'deny'] })
  effect: string;

  @ApiProperty({ enum: ['active', 'revoked'] })
  status: string;

  @ApiProperty({ example: 'usr_owner1' })
  createdBy: string;

  @ApiProperty({ example: '2026-01-05T09:00:00.000Z' })
  createdAt: string;

  @ApiPropertyOptional({ example: '2026-02-05T09:00:00.000Z' })
  revokedAt?: string;
}

export class BindingPageDto extends PageMetaDto {
  @ApiProperty({ type: [BindingDto] })
  items: BindingDto[];
}

export class ListBindingsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'usr_7f3a9c' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'userId must be a user id' })
  userId?: string;

  @ApiPropertyOptional({ example: 'dentist' })
  @IsOptional()
  @Matches(ROLE_KEY, { message: 'role must be a role key' })
  role?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('4')
  clinicId?: string;

  @OneOf(['active', 'revoked'], { optional: true, default: 'active' })
  status?: string;

  @SortKeys(['createdAt'], 'createdAt')
  sort?: string;
}

export class AuthorizeDto {
  @IsUserId('Whose access to decide')
  userId: string;

  @ApiProperty({ enum: PERMISSIONS, example: 'assignment:create' })
  @IsIn([...PERMISSIONS])
  action: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Decide for this clinic; omit for the organization level' })
  @IsOptional()
  @IsUUID('4')
  clinicId?: string;
}

export class DecidingBindingDto {
  @ApiProperty({ format: 'uuid' })
  bindingId: string;

  @ApiProperty({ example: 'clinic-manager' })
  role: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  clinicId: string | null;

  @ApiProperty({ enum: ['allow', 'deny'] })
  effect: string;
}

export class AuthorizationDecisionDto {
  @ApiProperty({ enum: ['allow', 'deny'], example: 'allow' })
  decision: 'allow' | 'deny';

  @ApiProperty({ enum: ['granted', 'explicit-deny', 'no-grant'], example: 'granted' })
  reason: string;

  @ApiProperty({ type: [DecidingBindingDto], description: 'The bindings that decided' })
  bindings: DecidingBindingDto[];

  @ApiProperty({ example: 7, description: 'Policy version the decision was made at' })
  policyVersion: number;
}

export class EffectivePermissionsDto {
  @ApiProperty({ example: 'usr_7f3a9c' })
  userId: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['org:read', 'clinic:read'], description: 'Empty for a caller who may read members only at some clinics' })
  organization: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, example: { '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f': ['clinic:read', 'clinic:update'] } })
  clinics: Record<string, string[]>;

  @ApiProperty({ type: [DecidingBindingDto], description: 'The bindings the caller may see' })
  bindings: DecidingBindingDto[];
}

export class CatalogueRoleDto {
  @ApiProperty({ example: 'clinic-manager' })
  key: string;

  @ApiProperty({ example: 'Clinic manager' })
  name: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  permissions: string[];
}

export class PermissionCatalogueDto {
  @ApiProperty({ enum: PERMISSIONS, isArray: true })
  permissions: string[];

  @ApiProperty({ type: [CatalogueRoleDto] })
  builtInRoles: CatalogueRoleDto[];
}
