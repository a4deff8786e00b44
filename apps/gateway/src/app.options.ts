import type { BootstrapOptions } from '@dentalos/core';
import { GatewayEnv } from './config/gateway.env.js';

export const appOptions: BootstrapOptions<GatewayEnv> = {
  config: GatewayEnv,
  title: 'DentalOS API gateway',
  description: 'The one front door: routing, authentication, rate limits and per-upstream resilience.',
};
