import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function projectDirs(): string[] {
  return ['apps', 'libs'].flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(group, name)));
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix) && !file.includes('node_modules') && !file.includes('dist/'))
    .map((file) => join(dir, file));
}

describe('workspace invariants', () => {
  it('gives every app and lib the build, test, lint and typecheck targets', () => {
    for (const dir of projectDirs()) {
      const project = JSON.parse(readFileSync(join(ROOT, dir, 'project.json'), 'utf8')) as { targets: Record<string, unknown> };
      expect(Object.keys(project.targets).sort(), dir).toEqual(expect.arrayContaining(['build', 'lint', 'test', 'typecheck']));
    }
  });

  it('refuses an app importing another app', { timeout: 120_000 }, async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText("import { AppModule } from '../../user/src/app.module.js';\nexport const leaked = AppModule;\n", {
      filePath: join(ROOT, 'apps/gateway/src/leak.ts'),
    });
    expect(result?.messages.map((message) => message.ruleId)).toContain('@nx/enforce-module-boundaries');
  });

  it('lists every configuration variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const envFiles = [...filesUnder('apps', '.env.ts'), 'libs/core/src/config/base.env.ts'];
    const declared = new Set<string>();
    for (const file of envFiles) {
      for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s+(?:override\s+)?([A-Z][A-Z0-9_]+)[?!]?\s*[:=;]/gm)) {
        declared.add(match[1]!);
      }
    }
    expect(declared.size).toBeGreaterThan(10);
    const missing = [...declared].filter((name) => !new RegExp(`^#?\\s*${name}\\b`, 'm').test(example));
    expect(missing).toEqual([]);
  });

  it('reads process.env only in configuration, tests, benchmarks and tooling', () => {
    const offenders = projectDirs()
      .flatMap((dir) => filesUnder(join(dir, 'src'), '.ts'))
      .filter((file) => !/(config|\.spec\.ts$|libs\/testing\/)/.test(file))
      .filter((file) => readFileSync(join(ROOT, file), 'utf8').includes('process.env'));
    expect(offenders).toEqual([]);
  });
});
