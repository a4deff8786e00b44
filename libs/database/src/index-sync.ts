import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { DataEnv, OneShotCommands } from '@dentalos/core';
import type { Connection } from 'mongoose';

export const SYNC_INDEXES_COMMAND = 'sync-indexes';
const CONNECTED = 1;

/** Creates every index declared beside a schema. Additive and idempotent; never drops. */
export async function createDeclaredIndexes(connection: Connection): Promise<string[]> {
  const models = Object.values(connection.models);
  await Promise.all(models.map((model) => model.createIndexes()));
  return models.map((model) => model.modelName);
}

function connected(connection: Connection, timeoutMs: number): Promise<void> {
  if (connection.readyState === CONNECTED) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('connected', onConnected);
      reject(new Error(`no MongoDB connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnected = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('connected', onConnected);
  });
}

/**
 * The explicit index step that replaces Mongoose's implicit autoIndex: at start-up when
 * MONGODB_SYNC_INDEXES is on, and as the one-shot `--sync-indexes` command an operator runs
 * before a rollout that adds an index to a large collection.
 */
@Injectable()
export class IndexSync implements OnApplicationBootstrap {
  private readonly logger = new Logger(IndexSync.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly env: DataEnv,
    private readonly commands: OneShotCommands,
  ) {
    commands.register(SYNC_INDEXES_COMMAND, () => this.syncNow());
  }

  onApplicationBootstrap(): void {
    if (!this.env.MONGODB_SYNC_INDEXES || this.commands.requested) return;
    if (this.connection.readyState === CONNECTED) void this.syncInBackground();
    else this.connection.once('connected', () => void this.syncInBackground());
  }

  async syncNow(): Promise<string> {
    await connected(this.connection, this.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS * 3);
    const models = await createDeclaredIndexes(this.connection);
    return `indexes in place for ${models.length} models`;
  }

  private async syncInBackground(): Promise<void> {
    try {
      this.logger.log(await this.syncNow());
    } catch (error) {
      this.logger.error({ err: error }, 'index sync failed');
    }
  }
}
