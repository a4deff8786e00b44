import { Module } from '@nestjs/common';
import { AuthModule } from '@dentalos/auth';
import { PlatformModule } from '@dentalos/core';
import { MongoModule, RedisModule } from '@dentalos/database';
import { EventsModule, STREAMS } from '@dentalos/events';
import { HealthModule } from '@dentalos/health';
import { AssignmentsModule } from './assignments/assignments.module.js';
import { AuditModule } from './audit/audit.module.js';
import { ClinicsModule } from './clinics/clinics.module.js';
import { EnterpriseEnv } from './config/enterprise.env.js';
import { BusinessMetrics } from './metrics/business-metrics.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { RbacModule } from './rbac/rbac.module.js';
import { OUTBOX_MODELS, StorageModule } from './storage.module.js';

/** Events and the relay are global to the features through this one import. */
const events = { ...EventsModule.forProducer({ stream: STREAMS.enterprise, models: OUTBOX_MODELS }), global: true };

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'enterprise', config: EnterpriseEnv }),
    MongoModule.forRoot(),
    RedisModule,
    HealthModule.forRoot({ mongo: true, redis: true }),
    AuthModule.forRoot(),
    events,
    StorageModule,
    OrganizationsModule,
    ClinicsModule,
    AssignmentsModule,
    RbacModule,
    AuditModule,
  ],
  providers: [BusinessMetrics],
})
export class AppModule {}
