import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CredentialsModule } from '../credentials/credentials.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { SessionGuard } from './session.guard.js';

/**
 * The /auth endpoints (named apart from libs/auth's AuthModule, which verifies tokens), and the
 * global session guard, which needs both the accounts and the sessions.
 */
@Module({
  imports: [UsersModule, SessionsModule, CredentialsModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordResetService, { provide: APP_GUARD, useClass: SessionGuard }],
})
export class AuthFlowsModule {}
