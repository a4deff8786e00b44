import { Module } from '@nestjs/common';
import { PlatformModule } from '@dentalos/core';
import { RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { GatewayEnv } from './config/gateway.env.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', config: GatewayEnv }),
    RedisModule,
    HealthModule.forRoot({ redis: true }),
  ],
})
export class AppModule {}
