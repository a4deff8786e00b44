import { DataEnv } from '@dentalos/core';

/** Every variable the user service reads; defaults are the local stack's. */
export class UserEnv extends DataEnv {
  override PORT = 3002;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/user';
  override REDIS_KEY_PREFIX = 'user:';
}
