import { DataEnv } from '@dentalos/core';

/** Every variable the enterprise service reads; defaults are the local stack's. */
export class EnterpriseEnv extends DataEnv {
  override PORT = 3017;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/enterprise';
  override REDIS_KEY_PREFIX = 'enterprise:';
}
