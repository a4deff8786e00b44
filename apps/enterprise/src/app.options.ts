import type { BootstrapOptions } from '@dentalos/core';
import { EnterpriseEnv } from './config/enterprise.env.js';

export const appOptions: BootstrapOptions<EnterpriseEnv> = {
  config: EnterpriseEnv,
  title: 'DentalOS enterprise service',
  description: 'Organizations, clinics, provider assignments and scoped RBAC.',
};
