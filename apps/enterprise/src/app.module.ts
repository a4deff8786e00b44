import { Module } from '@nestjs/common';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { EnterpriseEnv } from './config/enterprise.env.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'enterprise', config: EnterpriseEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
  ],
})
export class AppModule {}
