import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../src/http.js';
import { type Person, signUp } from '../src/people.js';
import { type Stack, startStack, UPSTREAMS } from '../src/stack.js';

const FUZZ = join(import.meta.dirname, '../scripts/fuzz.sh');
const RESULTS = join(import.meta.dirname, '../test-results');
/** Test cases per operation: small in CI, raise with E2E_FUZZ_EXAMPLES for a deeper run. */
const EXAMPLES = process.env.E2E_FUZZ_EXAMPLES ?? '5';
const SEED = process.env.E2E_FUZZ_SEED ?? '20260101';

interface Run {
  code: number;
  output: string;
}

function schemathesis(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // Run inside test-results so schemathesis's own cache stays out of the sources.
    execFile('bash', [FUZZ, ...args], { cwd: RESULTS, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

/** The failing operations schemathesis names in its summary, e.g. "POST /api/v1/auth/login". */
function failingOperations(output: string): string[] {
  const names = [...output.matchAll(/^_+ (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) _+$/gm)].map((match) => `${match[1]} ${match[2]}`);
  return [...new Set(names)];
}

/**
 * Schemathesis against every service's published spec, through the gateway, with a real
 * token: no server errors, no response outside its documented schema.
 */
describe('API fuzzing', () => {
  let stack: Stack;
  let person: Person;

  beforeAll(async () => {
    stack = await startStack();
    person = await signUp(new Api(stack.gatewayUrl), 'fuzz');
    mkdirSync(RESULTS, { recursive: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  for (const service of UPSTREAMS) {
    it(`finds no server error and no schema violation in the ${service} API`, async () => {
      const run = await schemathesis([
        'run',
        `${stack.gatewayUrl}/api-docs/specs/${service}`,
        '--url',
        stack.gatewayUrl,
        '--header',
        `Authorization: Bearer ${person.accessToken}`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--phases',
        'examples,fuzzing',
        '--max-examples',
        EXAMPLES,
        '--seed',
        SEED,
        '--workers',
        '2',
        '--request-timeout',
        '30',
        '--generation-database',
        'none',
        '--no-color',
        '--report',
        'junit',
        '--report-junit-path',
        join(RESULTS, `fuzz-${service}.xml`),
      ]);
      writeFileSync(join(RESULTS, `fuzz-${service}.log`), run.output);
      expect(run.output).toMatch(/passed|failed/i);
      expect({ code: run.code, failing: failingOperations(run.output) }, run.output.slice(-6_000)).toEqual({ code: 0, failing: [] });
    });
  }
});
