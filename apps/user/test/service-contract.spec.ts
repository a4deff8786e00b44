import { describeServiceContract, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';

describeServiceContract('user', AppModule, appOptions, () => ({
  MONGODB_URI: testDatabaseUri('user'),
  REDIS_KEY_PREFIX: testKeyPrefix('user'),
}));
