import type { BootstrapOptions } from '@dentalos/core';
import { UserEnv } from './config/user.env.js';

export const appOptions: BootstrapOptions<UserEnv> = {
  config: UserEnv,
  title: 'DentalOS user service',
  description: 'Accounts, credentials, tokens, device sessions and the JWKS.',
};
