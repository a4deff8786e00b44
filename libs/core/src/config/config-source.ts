import type { EnvSource } from './config.loader.js';

let activeSource: EnvSource | undefined;
let creations: Promise<unknown> = Promise.resolve();

/** The variables the app being created reads: process.env, unless a caller supplied its own. */
export function currentConfigSource(): EnvSource {
  return activeSource ?? process.env;
}

/**
 * Creates an app against explicit variables, so tests never mutate process.env. Creations take
 * turns instead of each carrying its source in an AsyncLocalStorage: once one has run, Node keeps
 * promise hooks on for the life of the process, a tax on every promise of every request.
 */
export function withConfigSource<T>(source: EnvSource, create: () => Promise<T>): Promise<T> {
  const creation = creations.then(async () => {
    activeSource = source;
    try {
      return await create();
    } finally {
      activeSource = undefined;
    }
  });
  creations = creation.catch(() => undefined);
  return creation;
}
