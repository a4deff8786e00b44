import { projectConfig } from '../../vitest.preset.mjs';

// Each file starts the whole built stack (four Node processes): files run one at a time so two
// stacks never compete for CI's two cores. Under the root run, files of this project may still be
// scheduled together; startStack() then waits for the machine-wide stack lock, hence long hooks.
export default projectConfig(import.meta.dirname, {
  include: ['test/**/*.spec.ts'],
  testTimeout: 180_000,
  hookTimeout: 900_000,
  fileParallelism: false,
});
