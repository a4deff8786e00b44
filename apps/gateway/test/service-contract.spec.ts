import { describeServiceContract, testKeyPrefix } from '@dentalos/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';

describeServiceContract('gateway', AppModule, appOptions, () => ({ REDIS_KEY_PREFIX: testKeyPrefix('gateway') }));
