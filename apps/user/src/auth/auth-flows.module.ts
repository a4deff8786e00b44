import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { PasswordResetService } from './password-reset.service.js';

/** The /auth endpoints (named apart from libs/auth's AuthModule, which verifies tokens). */
@Module({
  imports: [UsersModule, SessionsModule, CredentialsModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordResetService],
})
export class AuthFlowsModule {}
