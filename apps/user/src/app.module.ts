import { Module } from '@nestjs/common';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { UserEnv } from './config/user.env.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'user', config: UserEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
  ],
})
export class AppModule {}
