import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(import.meta.dirname, '../../..');
export const TOOLS_BIN = join(ROOT, '.tools/bin');
export const OVERLAYS = ['dev', 'staging', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** kustomize, kube-linter and k8s-validate, installed (once) by the same script CI uses. */
export function ensureOpsTools(): void {
  const wanted = ['kustomize', 'kube-linter', 'k8s-validate'];
  if (wanted.every((tool) => existsSync(join(TOOLS_BIN, tool)))) return;
  execFileSync('bash', [join(ROOT, 'tools/ops/scripts/install-tools.sh')], { stdio: 'inherit' });
}

export function tool(name: string): string {
  return join(TOOLS_BIN, name);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Manifests are checked structurally below; typed access would only restate the k8s API.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export function renderOverlay(overlay: Overlay): string {
  const result = run(tool('kustomize'), ['build', join(ROOT, 'k8s/overlays', overlay)]);
  if (result.status !== 0) throw new Error(`kustomize build ${overlay} failed:\n${result.stderr}`);
  return result.stdout;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null);
}
