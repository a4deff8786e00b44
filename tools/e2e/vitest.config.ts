import { projectConfig } from '../../vitest.preset.mjs';

// Each file starts the whole built stack (four Node processes): files run one at a time so two
// stacks never compete for CI's two cores, with hooks long enough for a cold start.
export default projectConfig(import.meta.dirname, {
  include: ['test/**/*.spec.ts'],
  testTimeout: 180_000,
  hookTimeout: 180_000,
  fileParallelism: false,
});
