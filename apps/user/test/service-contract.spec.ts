import { describeServiceContract } from '@dentalos/testing';
import { AppModule } from '../src/app.module.js';
import { appOptions } from '../src/app.options.js';
import { userTestEnv } from './support/user-app.js';

describeServiceContract('user', AppModule, appOptions, () => userTestEnv('user'));
