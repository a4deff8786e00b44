import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type K8sObject, ROOT, ensureOpsTools, parseObjects, renderOverlay, run, tool } from './support.js';

const EXAMPLE = join(ROOT, 'k8s/examples/sync-indexes-job.yaml');
const LINT_CONFIG = join(ROOT, 'k8s/kube-linter.yaml');

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('the index sync Job example (k8s/examples)', () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const example = parseObjects(text);
  const job = example.find((object) => object.kind === 'Job')!;
  const pod = job.spec.template;
  let production: K8sObject[];
  const named = (kind: string, name: string) => production.find((object) => object.kind === kind && object.metadata.name === name);

  beforeAll(() => {
    ensureOpsTools();
    production = parseObjects(renderOverlay('production'));
  });

  it('decodes strictly into the Kubernetes API types', () => {
    const result = run(tool('k8s-validate'), [EXAMPLE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^2 objects valid/);
  });

  it('kube-linter finds nothing beside the production overlay (service account, security context, resources)', () => {
    const result = run(tool('kube-linter'), ['lint', '--config', LINT_CONFIG, '-'], { input: `${renderOverlay('production')}\n---\n${text}` });
    expect(result.stdout + result.stderr).toContain('No lint errors found');
    expect(result.status).toBe(0);
  });

  it('runs the release image of the app with the one-shot flag, from the path the image starts in', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const workdir = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)![1];
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    const container = pod.spec.containers[0];
    expect(container.command).toBeUndefined(); // the image's entrypoint (tini, heap sizing) stays
    expect(container.args).toEqual([...cmd, '--sync-indexes']);
    expect(workdir).toBe('/app');
    const deployment = named('Deployment', 'user')!.spec.template.spec.containers[0];
    expect(container.image.split(':')[0]).toBe(deployment.image.split(':')[0]);
    expect(container.securityContext).toEqual(deployment.securityContext);
  });

  it('the RUNBOOK runs the same entry point inside a running pod', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const workdir = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)![1];
    const entry = (JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[])[0];
    const runbook = readFileSync(join(ROOT, 'RUNBOOK.md'), 'utf8');
    expect(runbook).toContain(`kubectl -n dentalos exec deploy/<app> -- node ${workdir}/${entry} --sync-indexes`);
    expect(runbook).toContain('kubectl apply -f k8s/examples/sync-indexes-job.yaml');
  });

  it('reads the app Secret and ServiceAccount that exist, and is never a Service endpoint', () => {
    expect(pod.spec.serviceAccountName).toBe('user');
    expect(named('ServiceAccount', 'user')).toBeDefined();
    const deployment = named('Deployment', 'user')!.spec.template.spec.containers[0];
    const appSecret = deployment.envFrom.find((from: { secretRef?: { name: string } }) => from.secretRef).secretRef.name;
    expect(pod.spec.containers[0].envFrom).toEqual([{ secretRef: { name: appSecret } }]);
    for (const service of production.filter((object) => object.kind === 'Service')) {
      expect(matches(service.spec.selector, pod.metadata.labels), `Service/${service.metadata.name}`).toBe(false);
    }
  });

  it('may reach MongoDB exactly as the apps do', () => {
    const policy = example.find((object) => object.kind === 'NetworkPolicy')!;
    expect(matches(policy.spec.podSelector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(policy.spec.egress).toEqual(named('NetworkPolicy', 'allow-mongodb-egress')!.spec.egress);
  });
});
