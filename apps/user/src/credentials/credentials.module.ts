import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.service.js';
import { PasswordPolicy } from './password-policy.service.js';

@Module({ providers: [PasswordHasher, PasswordPolicy], exports: [PasswordHasher, PasswordPolicy] })
export class CredentialsModule {}
