import { Module } from '@nestjs/common';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { NotificationEnv } from './config/notification.env.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'notification', config: NotificationEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
  ],
})
export class AppModule {}
