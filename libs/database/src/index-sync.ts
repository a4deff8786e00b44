import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { DataEnv } from '@dentalos/core';
import type { Connection } from 'mongoose';

/** Creates every index declared beside a schema. Additive and idempotent; never drops. */
export async function createDeclaredIndexes(connection: Connection): Promise<string[]> {
  const models = Object.values(connection.models);
  await Promise.all(models.map((model) => model.createIndexes()));
  return models.map((model) => model.modelName);
}

/** The explicit start-up step that replaces Mongoose's implicit autoIndex. */
@Injectable()
export class IndexSync implements OnApplicationBootstrap {
  private readonly logger = new Logger(IndexSync.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly env: DataEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.env.MONGODB_SYNC_INDEXES) return;
    if (this.connection.readyState === 1) void this.sync();
    else this.connection.once('connected', () => void this.sync());
  }

  private async sync(): Promise<void> {
    try {
      const models = await createDeclaredIndexes(this.connection);
      this.logger.log(`indexes in place for ${models.length} models`);
    } catch (error) {
      this.logger.error({ err: error }, 'index sync failed');
    }
  }
}
