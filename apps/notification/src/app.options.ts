import type { BootstrapOptions } from '@dentalos/core';
import { NotificationEnv } from './config/notification.env.js';

export const appOptions: BootstrapOptions<NotificationEnv> = {
  config: NotificationEnv,
  title: 'DentalOS notification service',
  description: 'Templates, preferences, event consumption and delivery.',
};
