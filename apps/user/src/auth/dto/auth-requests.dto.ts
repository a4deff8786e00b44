import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DisplayNameField, LocaleField, TimezoneField } from '../../users/dto/profile-fields.js';
import { EmailField, LinkTokenField, PasswordField } from './credential-fields.js';

export class RegisterDto {
  @EmailField()
  email: string;

  @PasswordField()
  password: string;

  @DisplayNameField()
  displayName?: string;

  @LocaleField()
  locale?: string;

  @TimezoneField()
  timezone?: string;
}

export class LoginDto {
  @EmailField()
  email: string;

  /** Not length-checked beyond the cap: old passwords may predate today's policy. */
  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @Length(1, 128)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ example: '3f0c9a52-6a8e-4f0b-9d59-2f8f3c1c7b10.pV8c0wWmQ3b3e0Zq1bGm3m8y2oQm9yZr7v4k1p0s6xA' })
  @IsString()
  @Length(1, 200)
  refreshToken: string;
}

export class VerifyEmailDto {
  @LinkTokenField()
  token: string;
}

export class PasswordResetRequestDto {
  @EmailField()
  email: string;
}

export class PasswordResetConfirmDto {
  @LinkTokenField()
  token: string;

  @PasswordField('newPassword')
  newPassword: string;
}
