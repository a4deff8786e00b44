import 'reflect-metadata';
import { bootstrap } from '@dentalos/core';
import { AppModule } from './app.module.js';
import { appOptions } from './app.options.js';

await bootstrap(AppModule, appOptions);
