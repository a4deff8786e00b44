import { randomBytes } from 'node:crypto';
import { describeServiceContract, testDatabaseUri, testKeyPrefix, uniqueName, waitFor } from '@dentalos/testing';
import mongoose from 'mongoose';
import { beforeEach } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';

// The database connection opens in the background (the service starts while it is down); the
// contract's readiness check is about a started service, so let the first connect finish.
beforeEach(async () => {
  await waitFor(() => mongoose.connections.some((connection) => connection.readyState === 1), { what: 'database connection' });
});

describeServiceContract('notification', AppModule, appOptions, () => ({
  MONGODB_URI: testDatabaseUri('notification'),
  REDIS_KEY_PREFIX: testKeyPrefix('notification'),
  EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
  WEBHOOK_SECRET: 'contract-webhook-secret-000',
  EVENTS_USER_STREAM: uniqueName('events.user'),
  EVENTS_ENTERPRISE_STREAM: uniqueName('events.enterprise'),
}));
