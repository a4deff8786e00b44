import { PreconditionFailedError, ServiceUnavailableError } from '@dentalos/core';

/** Rounds a write without If-Match ("last write wins") may lose to concurrent writers of one document. */
const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ResourceBusyError extends ServiceUnavailableError {
  constructor() {
    super('RESOURCE_BUSY', 'The resource is being changed by many requests at once; retry shortly.');
  }
}

/**
 * One optimistic write: `attempt` reads the document, decides, and writes only if the version it
 * read is still current (a version-conditional update, atomic on one document), resolving null
 * when another writer got there first. With If-Match the client's version had to win: 412. Without,
 * the change is re-read and re-applied, with a short random pause so racing writers spread out,
 * and a document still contended after that answers 503 RESOURCE_BUSY.
 */
export async function writeOptimistically<T>(ifMatch: number | undefined, attempt: () => Promise<T | null>): Promise<T> {
  const attempts = ifMatch === undefined ? MAX_ATTEMPTS : 1;
  for (let round = 0; round < attempts; round++) {
    if (round > 0) await sleep(Math.random() * 4 * round);
    const written = await attempt();
    if (written !== null) return written;
  }
  throw ifMatch === undefined ? new ResourceBusyError() : new PreconditionFailedError();
}
