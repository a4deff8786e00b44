import type { Model } from 'mongoose';

/** Per item: true = written, false = it already existed (duplicate `_id`), an Error = it failed. */
export type ItemResult = boolean | Error;

interface Waiting<T> {
  item: T;
  resolve: (result: boolean) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Largest batch one write carries. */
  maxBatch?: number;
  /** Writes in flight at once; further items wait and go together in the next one. */
  maxInFlight?: number;
}

/**
 * Group commit: single writes issued concurrently (one per request or event being handled) are
 * collected and written as one bulk command. A database commits one `insertMany` of a hundred
 * documents in about the time of a single insert, so under load the batches grow by themselves
 * (everything that arrives while a write is in flight goes in the next one) and when idle an item
 * waits only for the current turn of the event loop.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /** `write` returns one result per item, in order, or nothing when every item was written. */
  constructor(
    private readonly write: (items: T[]) => Promise<ItemResult[] | void>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Resolves true once written, false when it already existed; rejects when its write failed. */
  submit(item: T): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.write(batch.map((entry) => entry.item))
        .then(
          (results) =>
            batch.forEach((entry, index) => {
              const result = results?.[index] ?? true;
              if (result instanceof Error) entry.reject(result);
              else entry.resolve(result);
            }),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.flush();
        });
    }
  }
}

const DUPLICATE_KEY = 11000;

interface BulkWriteFailure {
  code?: number;
  writeErrors?: { index?: number; code?: number; errmsg?: string; err?: { index?: number; code?: number; errmsg?: string } }[];
}

/**
 * Per-document results of an unordered bulk insert that threw: the documents named in its write
 * errors failed (false for a duplicate `_id`), the others were written. Rethrows anything else.
 */
export function insertResults(error: unknown, count: number): ItemResult[] {
  const failure = error as BulkWriteFailure;
  if (!failure.writeErrors) {
    if (count === 1 && failure.code === DUPLICATE_KEY) return [false];
    throw error;
  }
  const results: ItemResult[] = new Array<ItemResult>(count).fill(true);
  for (const writeError of failure.writeErrors) {
    const index = writeError.index ?? writeError.err?.index;
    const code = writeError.code ?? writeError.err?.code;
    if (index === undefined) throw error;
    results[index] = code === DUPLICATE_KEY ? false : new Error(writeError.errmsg ?? writeError.err?.errmsg ?? `insert failed with code ${code}`);
  }
  return results;
}

/**
 * One unordered, lean bulk insert (no hydration, casting or defaults: the documents are complete),
 * with a result per document for `GroupCommit`.
 */
export async function insertEach<T>(model: Model<T>, documents: T[]): Promise<ItemResult[] | void> {
  try {
    await model.insertMany(documents, { ordered: false, lean: true });
  } catch (error) {
    return insertResults(error, documents.length);
  }
}
