import { describeServiceContract, testDatabaseUri, testKeyPrefix } from '@dentalos/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';

describeServiceContract('enterprise', AppModule, appOptions, () => ({
  MONGODB_URI: testDatabaseUri('enterprise'),
  REDIS_KEY_PREFIX: testKeyPrefix('enterprise'),
}));
