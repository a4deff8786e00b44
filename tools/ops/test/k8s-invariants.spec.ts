import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type K8sObject, OVERLAYS, type Overlay, ROOT, ensureOpsTools, parseObjects, renderOverlay } from './support.js';

const APPS = ['gateway', 'user', 'notification', 'enterprise'] as const;

/** The port each app listens on by default, read from its env class (`override PORT = ...`). */
function appPort(app: string): number {
  const source = readFileSync(join(ROOT, `apps/${app}/src/config/${app}.env.ts`), 'utf8');
  const match = /override PORT = (\d+)/.exec(source);
  if (!match) throw new Error(`no PORT default in apps/${app}/src/config/${app}.env.ts`);
  return Number(match[1]);
}

/** Health routes as declared by the health library's controller (`@Controller` + `@Get`). */
function healthPaths(): string[] {
  const source = readFileSync(join(ROOT, 'libs/health/src/health.controller.ts'), 'utf8');
  const base = /@Controller\('([^']+)'\)/.exec(source)![1];
  return [...source.matchAll(/@Get\('([^']+)'\)/g)].map((match) => `/${base}/${match[1]}`);
}

function metricsPath(): string {
  const source = readFileSync(join(ROOT, 'libs/metrics/src/metrics.controller.ts'), 'utf8');
  return `/${/@Controller\('([^']+)'\)/.exec(source)![1]}`;
}

/** `${name}` of the app's env default in base.env.ts, e.g. SHUTDOWN_DRAIN_MS = 1_000. */
function baseEnvDefault(name: string): number {
  const source = readFileSync(join(ROOT, 'libs/core/src/config/base.env.ts'), 'utf8');
  return Number(new RegExp(`${name} = ([\\d_]+)`).exec(source)![1].replaceAll('_', ''));
}

function matches(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe.each(OVERLAYS)('invariants across the objects of the %s overlay', (overlay: Overlay) => {
  let objects: K8sObject[];
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const named = (kind: string, name: string) => of(kind).find((object) => object.metadata.name === name);
  const configOf = (deployment: K8sObject): Record<string, string> => {
    const ref = deployment.spec.template.spec.containers[0].envFrom.find((from: { configMapRef?: unknown }) => from.configMapRef);
    return named('ConfigMap', ref.configMapRef.name)!.data;
  };

  beforeAll(() => {
    ensureOpsTools();
    objects = parseObjects(renderOverlay(overlay));
  });

  it('has a Deployment, Service, HPA, PDB, ServiceAccount, ServiceMonitor and NetworkPolicy per app', () => {
    for (const app of APPS) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount', 'ServiceMonitor', 'NetworkPolicy']) {
        expect(named(kind, app), `${kind}/${app}`).toBeDefined();
      }
    }
    expect(named('NetworkPolicy', 'default-deny-all')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('Service and PDB selectors match the pod labels of their Deployment', () => {
    for (const app of APPS) {
      const podLabels = named('Deployment', app)!.spec.template.metadata.labels;
      expect(matches(named('Deployment', app)!.spec.selector.matchLabels, podLabels)).toBe(true);
      expect(matches(named('Service', app)!.spec.selector, podLabels), `Service/${app}`).toBe(true);
      expect(matches(named('PodDisruptionBudget', app)!.spec.selector.matchLabels, podLabels), `PDB/${app}`).toBe(true);
      // No other app's pods are selected by this app's Service.
      for (const other of APPS.filter((name) => name !== app)) {
        expect(matches(named('Service', app)!.spec.selector, named('Deployment', other)!.spec.template.metadata.labels)).toBe(false);
      }
    }
  });

  it('HPAs target existing Deployments, which leave replicas to them', () => {
    for (const hpa of of('HorizontalPodAutoscaler')) {
      const target = hpa.spec.scaleTargetRef;
      expect(target.kind).toBe('Deployment');
      const deployment = named('Deployment', target.name);
      expect(deployment, `HPA ${hpa.metadata.name} → ${target.name}`).toBeDefined();
      expect(deployment!.spec.replicas).toBeUndefined();
      expect(hpa.spec.metrics.map((metric: { resource: { name: string } }) => metric.resource.name).sort()).toEqual(['cpu']);
      expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
    }
  });

  it('HPA minReplicas stays above the PDB floor (a drain never takes the last pod)', () => {
    for (const app of APPS) {
      const hpa = named('HorizontalPodAutoscaler', app)!;
      const pdb = named('PodDisruptionBudget', app)!;
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
      const floor = hpa.spec.minReplicas - pdb.spec.maxUnavailable;
      expect(hpa.spec.minReplicas).toBeGreaterThan(floor);
      if (overlay !== 'dev') expect(floor, `${app}: pods left during a drain`).toBeGreaterThanOrEqual(1);
      if (overlay === 'production') expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    }
  });

  it('ServiceMonitors select a Service that has their named port, and scrape the metrics path', () => {
    for (const monitor of of('ServiceMonitor')) {
      const services = of('Service').filter((service) => matches(monitor.spec.selector.matchLabels, service.metadata.labels));
      expect(services, `ServiceMonitor/${monitor.metadata.name}`).toHaveLength(1);
      for (const endpoint of monitor.spec.endpoints) {
        expect(services[0].spec.ports.map((port: { name: string }) => port.name)).toContain(endpoint.port);
        expect(endpoint.path).toBe(metricsPath());
      }
    }
  });

  it('probes use health paths the apps serve, on the named port the app listens on', () => {
    const served = healthPaths();
    expect(served).toEqual(expect.arrayContaining(['/health/liveness', '/health/readiness', '/health/startup']));
    for (const app of APPS) {
      const deployment = named('Deployment', app)!;
      const container = deployment.spec.template.spec.containers[0];
      const port = container.ports.find((candidate: { name: string }) => candidate.name === 'http');
      expect(port.containerPort, app).toBe(appPort(app));
      expect(Number(configOf(deployment).PORT), `${app} ConfigMap PORT`).toBe(appPort(app));
      const service = named('Service', app)!;
      expect(service.spec.ports[0]).toMatchObject({ port: appPort(app), targetPort: 'http' });
      const probes = { startupProbe: '/health/startup', readinessProbe: '/health/readiness', livenessProbe: '/health/liveness' };
      for (const [probe, path] of Object.entries(probes)) {
        expect(container[probe].httpGet, `${app} ${probe}`).toEqual({ path, port: 'http' });
        expect(served).toContain(container[probe].httpGet.path);
      }
    }
  });

  it('grace period covers preStop + drain + shutdown timeout + 5 s', () => {
    for (const app of APPS) {
      const deployment = named('Deployment', app)!;
      const pod = deployment.spec.template.spec;
      const config = configOf(deployment);
      const drainMs = Number(config.SHUTDOWN_DRAIN_MS ?? baseEnvDefault('SHUTDOWN_DRAIN_MS'));
      const timeoutMs = Number(config.SHUTDOWN_TIMEOUT_MS ?? baseEnvDefault('SHUTDOWN_TIMEOUT_MS'));
      const preStop = pod.containers[0].lifecycle.preStop.sleep.seconds;
      expect(pod.terminationGracePeriodSeconds, app).toBeGreaterThanOrEqual(preStop + (drainMs + timeoutMs) / 1000 + 5);
    }
  });

  it('rolls out with surge only and reports a stuck rollout', () => {
    for (const deployment of of('Deployment')) {
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
      expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(0);
    }
  });

  it('pods run hardened: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    for (const deployment of of('Deployment')) {
      const pod = deployment.spec.template.spec;
      const name = deployment.metadata.name;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(named('ServiceAccount', pod.serviceAccountName)!.automountServiceAccountToken, name).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
        expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      }
      const spread = pod.topologySpreadConstraints;
      expect(spread.map((constraint: { topologyKey: string }) => constraint.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      for (const constraint of spread) expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
      expect(pod.affinity.podAntiAffinity).toBeDefined();
    }
  });

  it('references only ConfigMaps and Secrets that exist, or Secrets created out of band', () => {
    const secrets = of('Secret').map((secret) => secret.metadata.name);
    for (const deployment of of('Deployment')) {
      for (const from of deployment.spec.template.spec.containers[0].envFrom) {
        if (from.configMapRef) expect(named('ConfigMap', from.configMapRef.name)).toBeDefined();
        if (from.secretRef) {
          expect(from.secretRef.name).toBe(`${deployment.metadata.name}-secrets`);
          // Every environment gets its secrets from the secret store: an apply never overwrites them.
          expect(secrets).not.toContain(from.secretRef.name);
        }
      }
    }
  });

  it('only the gateway is reachable from the ingress controller, and the Ingress routes to it', () => {
    const ingress = of('Ingress');
    expect(ingress.map((object) => object.metadata.name)).toEqual(['gateway']);
    for (const path of ingress[0].spec.rules[0].http.paths) {
      expect(path.backend.service).toEqual({ name: 'gateway', port: { name: 'http' } });
      expect(path.path).not.toMatch(/metrics|health/);
    }
    const fromIngress = of('NetworkPolicy').filter((policy) =>
      JSON.stringify(policy.spec.ingress ?? []).includes('ingress-nginx'),
    );
    expect(fromIngress.map((policy) => policy.spec.podSelector.matchLabels)).toEqual([{ 'app.kubernetes.io/name': 'gateway' }]);
  });
});
