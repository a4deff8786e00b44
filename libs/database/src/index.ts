export { IndexSync, SYNC_INDEXES_COMMAND, createDeclaredIndexes } from './index-sync.js';
export { keepConnecting } from './keep-connecting.js';
export { MongoModule, mongoOptions } from './mongo.module.js';
export { RedisModule, createRedisClient } from './redis.module.js';
export { recordCommandDurations } from './command-metrics.js';
