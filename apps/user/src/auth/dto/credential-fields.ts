import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../credentials/password-policy.service.js';

/** Emails are compared in one form: trimmed, Unicode NFC, lower case. */
export const normalizeEmail = (value: unknown): unknown => (typeof value === 'string' ? value.trim().normalize('NFC').toLowerCase() : value);

export const EmailField = () =>
  applyDecorators(
    ApiProperty({ example: 'ana.silva@clinic.example', maxLength: 254, description: 'Compared case-insensitively' }),
    Transform(({ value }: { value: unknown }) => normalizeEmail(value)),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: 'email must be an email address' }),
  );

/** Length only (NIST SP 800-63B): no composition rules; common passwords are refused by the policy. */
export const PasswordField = (name = 'password') =>
  applyDecorators(
    ApiProperty({ example: 'correct horse battery staple', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' }),
    IsString(),
    Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: `${name} must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long` }),
  );

/** Link tokens are 256-bit base64url strings. */
export const LinkTokenField = () =>
  applyDecorators(
    ApiProperty({ example: 'q2VbRr0m7o3y0Yx9G5mJx8m4V3vB1pS6tH2kL9wQ0eA', description: 'The token from the emailed link' }),
    IsString(),
    Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the token from the emailed link' }),
  );
