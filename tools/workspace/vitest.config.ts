import { projectConfig } from '../../vitest.preset.mjs';

export default projectConfig(import.meta.dirname, { include: ['test/**/*.spec.ts'] });
