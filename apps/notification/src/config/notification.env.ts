import { DataEnv } from '@dentalos/core';

/** Every variable the notification service reads; defaults are the local stack's. */
export class NotificationEnv extends DataEnv {
  override PORT = 3003;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/notification';
  override REDIS_KEY_PREFIX = 'notification:';
}
