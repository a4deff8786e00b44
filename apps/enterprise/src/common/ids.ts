import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches } from 'class-validator';

/** User ids come from the user service's tokens (`sub`); only a safe alphabet is accepted. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A resource id minted by this service (UUID v4), validated wherever it enters. */
export function IsEntityId(description = 'Resource id'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description, format: 'uuid', example: '3f0c6f8e-2b1a-4c7d-9e8f-0a1b2c3d4e5f' }),
    IsString(),
    IsUUID('4'),
  );
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
