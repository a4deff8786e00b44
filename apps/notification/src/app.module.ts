import { Module } from '@nestjs/common';
import { AuthModule } from '@dentalos/auth';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { NotificationEnv } from './config/notification.env.js';
import { NotificationsModule } from './notifications/notifications.module.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'notification', config: NotificationEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
    AuthModule.forRoot(),
    NotificationsModule,
  ],
})
export class AppModule {}
