import { join } from 'node:path';
import { REPO_ROOT, spawnManaged, testDatabaseUri } from '@dentalos/testing';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';

const uri = testDatabaseUri('sync_indexes');

function runApp(...args: string[]) {
  const app = spawnManaged(
    process.execPath,
    ['--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', join(import.meta.dirname, 'fixtures/indexed-app.ts'), ...args],
    {
      ...process.env,
      SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
      MONGODB_URI: uri,
      // The serving start-up step stays off: only the command may create the index.
      MONGODB_SYNC_INDEXES: 'false',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    REPO_ROOT,
  );
  return app.exited.then((code) => ({ code, output: app.output() }));
}

afterAll(async () => {
  const connection = await mongoose.createConnection(uri).asPromise();
  await connection.dropDatabase();
  await connection.close();
});

describe('the --sync-indexes command', () => {
  it('creates the declared indexes, says so and exits 0 without serving', async () => {
    const { code, output } = await runApp('--sync-indexes');
    expect(output).toContain('indexes in place for 1 models');
    expect(code).toBe(0);
    const connection = await mongoose.createConnection(uri).asPromise();
    const indexes = await connection.collection('patients').indexes();
    await connection.close();
    expect(indexes).toContainEqual(expect.objectContaining({ name: 'clinic_chart_unique', key: { clinicId: 1, chartNumber: 1 }, unique: true }));
  });

  it('refuses an unknown command with a usage exit code naming the known ones', async () => {
    const { code, output } = await runApp('--sync-indices');
    expect(code).toBe(64);
    expect(output).toContain('unknown command --sync-indices; this service knows: --sync-indexes');
  });
});
