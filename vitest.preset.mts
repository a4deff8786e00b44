import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

// Workspace libs resolve to their TypeScript sources; the rest are Vite's server defaults.
const sourceConditions = ['@dentalos/source', 'module', 'node', 'development|production'];

/** Shared test settings: SWC keeps decorator metadata, workspace libs resolve to their sources. */
export function projectConfig(projectRoot: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    root: projectRoot,
    plugins: [
      swc.vite({
        module: { type: 'es6' },
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
      }),
    ],
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name: projectRoot.split('/').slice(-2).join('/'),
      environment: 'node',
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      setupFiles: [resolve(import.meta.dirname, 'libs/testing/src/setup.ts')],
      globalSetup: [resolve(import.meta.dirname, 'libs/testing/src/global-setup.ts')],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
