import { describeServiceContract, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';

describeServiceContract('notification', AppModule, appOptions, () => ({
  MONGODB_URI: testDatabaseUri('notification'),
  REDIS_KEY_PREFIX: testKeyPrefix('notification'),
}));
