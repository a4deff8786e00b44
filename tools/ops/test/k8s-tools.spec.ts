import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OVERLAYS, ROOT, ensureOpsTools, parseObjects, renderOverlay, run, tool } from './support.js';

const LINT_CONFIG = join(ROOT, 'k8s/kube-linter.yaml');

describe('Kubernetes manifests checked with real tools', () => {
  beforeAll(() => ensureOpsTools());

  it.each(OVERLAYS)('kustomize renders the %s overlay into namespace dentalos', (overlay) => {
    const objects = parseObjects(renderOverlay(overlay));
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      if (object.kind === 'Namespace') expect(object.metadata.name).toBe('dentalos');
      else expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe('dentalos');
    }
  });

  it.each(OVERLAYS)('every object of %s decodes strictly into the Kubernetes API types', (overlay) => {
    const result = run(tool('k8s-validate'), ['-'], { input: renderOverlay(overlay) });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+ objects valid/);
  });

  it('the validator rejects a misspelled field that the API server would silently drop', () => {
    const fixture = join(ROOT, 'tools/ops/k8s-validate/testdata/misspelled.yaml');
    const result = run(tool('k8s-validate'), [fixture]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown field "readinessProbes"');
    // The same object spelled correctly passes, so the failure is the misspelling alone.
    expect(run(tool('k8s-validate'), [join(ROOT, 'tools/ops/k8s-validate/testdata/valid.yaml')]).status).toBe(0);
  });

  it('the validator rejects kinds it cannot check', () => {
    const result = run(tool('k8s-validate'), ['-'], { input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unsupported apiVersion/kind');
  });

  it.each(OVERLAYS)('kube-linter (defaults + probes, rolling update, dangling checks) finds nothing in %s', (overlay) => {
    const result = run(tool('kube-linter'), ['lint', '--config', LINT_CONFIG, '-'], { input: renderOverlay(overlay) });
    expect(result.stdout + result.stderr).toContain('No lint errors found');
    expect(result.status).toBe(0);
  });

  it('kube-linter does report a Deployment without probes (the checks are really on)', () => {
    const bare = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: bare, namespace: dentalos }',
      'spec:',
      '  selector: { matchLabels: { app: bare } }',
      '  template:',
      '    metadata: { labels: { app: bare } }',
      '    spec:',
      '      containers: [{ name: app, image: example/app:1.0.0 }]',
    ].join('\n');
    const result = run(tool('kube-linter'), ['lint', '--config', LINT_CONFIG, '-'], { input: bare });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('no-liveness-probe');
    expect(result.stdout + result.stderr).toContain('no-readiness-probe');
  });
});
