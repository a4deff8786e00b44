import { projectConfig } from '../../vitest.preset.mjs';

// Ops checks start real processes (node, pm2, prometheus): longer hooks, files one at a time so
// two of them never compete for the 2 CPU cores CI has.
export default projectConfig(import.meta.dirname, { testTimeout: 120_000, hookTimeout: 240_000, fileParallelism: false });
