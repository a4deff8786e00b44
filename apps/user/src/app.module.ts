import { Module } from '@nestjs/common';
import { AuthModule } from '@dentalos/auth';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { AuthFlowsModule } from './auth/auth-flows.module.js';
import { UserEnv } from './config/user.env.js';
import { OutboxModule } from './events/outbox.module.js';
import { KeysModule } from './keys/keys.module.js';
import { SigningKeys } from './keys/signing-keys.service.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'user', config: UserEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
    KeysModule,
    // The service verifies its own tokens from the local key set: no HTTP round trip to itself.
    AuthModule.forRoot({ keyResolver: { inject: [SigningKeys], useFactory: (keys: SigningKeys) => keys.resolver } }),
    OutboxModule,
    SessionsModule,
    UsersModule,
    AuthFlowsModule,
  ],
})
export class AppModule {}
