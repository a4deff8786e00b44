import { AsyncLocalStorage } from 'node:async_hooks';
import type { EnvSource } from './config.loader.js';

const sources = new AsyncLocalStorage<EnvSource>();

/** The variables the app being created reads: process.env, unless a caller supplied its own. */
export function currentConfigSource(): EnvSource {
  return sources.getStore() ?? process.env;
}

/** Creates an app against explicit variables, so tests never mutate process.env. */
export function withConfigSource<T>(source: EnvSource, create: () => Promise<T>): Promise<T> {
  return sources.run(source, create);
}
