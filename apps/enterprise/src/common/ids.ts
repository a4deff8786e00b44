import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';

/** User ids come from the user service's tokens (`sub`); only a safe alphabet is accepted. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const ENTITY_ID_EXAMPLE = '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f';

/** A resource id minted by this service (UUID v4), validated wherever it enters. */
export function IsEntityId(description = 'Resource id'): PropertyDecorator {
  return applyDecorators(ApiProperty({ description, format: 'uuid', example: ENTITY_ID_EXAMPLE }), IsString(), IsUUID('4'));
}

/**
 * Swagger for the path of a clinic-scoped route that binds no `@Param()` DTO: the permission
 * guard validates `orgId` and `clinicId` on every such route, and the hot reads skip the DTO's
 * second class-validator pass (documented exactly like `ClinicParams`).
 */
export function ApiClinicPath(): MethodDecorator {
  const id = (name: string, description: string) => ApiParam({ name, description, schema: { type: 'string', format: 'uuid', example: ENTITY_ID_EXAMPLE } });
  return applyDecorators(id('orgId', 'Organization id'), id('clinicId', 'Clinic id'));
}

/** A user id (the `sub` of an access token). */
export function IsUserId(description = 'User id (token subject)'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, example: 'usr_7f3a9c', pattern: USER_ID_PATTERN.source }),
    IsString(),
    Matches(USER_ID_PATTERN, { message: '$property must be 1-64 letters, digits, "_" or "-"' }),
  );
}

export class OrgParams {
  @IsEntityId('Organization id')
  orgId: string;
}

export class ClinicParams extends OrgParams {
  @IsEntityId('Clinic id')
  clinicId: string;
}

export class AssignmentParams extends OrgParams {
  @IsEntityId('Assignment id')
  assignmentId: string;
}

export class RoleParams extends OrgParams {
  @IsEntityId('Custom role id')
  roleId: string;
}

export class BindingParams extends OrgParams {
  @IsEntityId('Role binding id')
  bindingId: string;
}

export class MemberParams extends OrgParams {
  @IsUserId('Member user id')
  userId: string;
}
