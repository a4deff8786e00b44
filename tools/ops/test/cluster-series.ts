import { type Server, createServer } from 'node:http';

/**
 * Series shaped exactly as a cluster exports them, for the apps of this platform, so dashboard
 * panels and alerts over Kubernetes metrics can be evaluated by a real Prometheus here:
 * kube-state-metrics v2 (`kube_*`, object labels such as `deployment`, `pod`, `container`,
 * `resource`/`unit`) and the kubelet's cAdvisor endpoint (`container_*` with `container`, `id`,
 * `image`, `name`, `namespace`, `pod`, plus the pod-level cgroup series with `container=""`).
 * Counters grow with time so rates are non-zero; a few values trip the alerts of trippedAlerts().
 */
export const NAMESPACE = 'dentalos';
const MEMORY_LIMIT_BYTES = 512 * 1024 * 1024; // limits.memory of every Deployment in k8s/base
const DESIRED_REPLICAS = 3;

type Labels = Record<string, string>;

export interface ClusterApp {
  name: string;
  pods: string[];
}

/** Which app (by position) carries the values that trip an alert. */
const RESTARTING = 0;
const MEMORY_FULL = 1;
const SHORT_OF_REPLICAS = 2;

/** Alerts the synthetic values drive past their threshold, with the labels that identify them. */
export function trippedAlerts(apps: ClusterApp[]): { alertname: string; labels: Labels }[] {
  return [
    // One pod restarts every two seconds.
    { alertname: 'HighPodRestartRate', labels: { pod: apps[RESTARTING].pods[0], container: apps[RESTARTING].name } },
    // One pod sits at 95 % of its memory limit.
    { alertname: 'HighMemoryUsage', labels: { pod: apps[MEMORY_FULL].pods[0], container: apps[MEMORY_FULL].name } },
    // One Deployment has a pod fewer available than desired.
    { alertname: 'LowReplicaCount', labels: { deployment: apps[SHORT_OF_REPLICAS].name } },
  ];
}

export function clusterApps(names: readonly string[]): ClusterApp[] {
  return names.map((name) => ({ name, pods: [`${name}-7c9d5b8f6d-x2k4p`, `${name}-7c9d5b8f6d-q8m3z`] }));
}

function line(metric: string, labels: Labels, value: number): string {
  const text = Object.entries(labels)
    .map(([key, label]) => `${key}="${label}"`)
    .join(',');
  return `${metric}{${text}} ${value}`;
}

function family(metric: string, type: 'counter' | 'gauge', help: string, samples: [Labels, number][]): string[] {
  return [`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`, ...samples.map(([labels, value]) => line(metric, labels, value))];
}

export function kubeStateMetrics(apps: ClusterApp[], elapsedSeconds: number): string {
  const restarting = apps[RESTARTING];
  const short = apps[SHORT_OF_REPLICAS];
  const podLabels = (app: ClusterApp, pod: string) => ({ namespace: NAMESPACE, pod, uid: `uid-${pod}`, container: app.name });
  const lines = [
    ...family(
      'kube_pod_container_status_restarts_total',
      'counter',
      'The number of container restarts per container.',
      apps.flatMap((app) => app.pods.map((pod): [Labels, number] => [podLabels(app, pod), app === restarting && pod === app.pods[0] ? Math.floor(elapsedSeconds / 2) : 0])),
    ),
    ...family(
      'kube_pod_container_resource_limits',
      'gauge',
      'The number of requested limit resource by a container.',
      apps.flatMap((app) =>
        app.pods.flatMap((pod): [Labels, number][] => [
          [{ ...podLabels(app, pod), node: 'node-a', resource: 'cpu', unit: 'core' }, 1],
          [{ ...podLabels(app, pod), node: 'node-a', resource: 'memory', unit: 'byte' }, MEMORY_LIMIT_BYTES],
        ]),
      ),
    ),
    ...family(
      'kube_deployment_spec_replicas',
      'gauge',
      'Number of desired pods for a deployment.',
      apps.map((app): [Labels, number] => [{ namespace: NAMESPACE, deployment: app.name }, DESIRED_REPLICAS]),
    ),
    ...family(
      'kube_deployment_status_replicas_available',
      'gauge',
      'The number of available replicas per deployment.',
      apps.map((app): [Labels, number] => [{ namespace: NAMESPACE, deployment: app.name }, app === short ? DESIRED_REPLICAS - 1 : DESIRED_REPLICAS]),
    ),
    ...family(
      'kube_horizontalpodautoscaler_status_desired_replicas',
      'gauge',
      'Desired number of replicas of pods managed by this autoscaler.',
      apps.map((app): [Labels, number] => [{ namespace: NAMESPACE, horizontalpodautoscaler: app.name }, DESIRED_REPLICAS]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function cadvisor(apps: ClusterApp[], elapsedSeconds: number): string {
  const full = apps[MEMORY_FULL];
  // cAdvisor exports each container, its pod's cgroup (container="") and the pause container.
  const series = apps.flatMap((app) =>
    app.pods.flatMap((pod) => {
      const cgroup = `/kubepods/burstable/pod-${pod}`;
      const base = { namespace: NAMESPACE, pod };
      return [
        { app, pod, labels: { ...base, container: app.name, id: `${cgroup}/${app.name}`, image: `ghcr.io/dentalos/${app.name}:0.1.0`, name: `k8s_${app.name}_${pod}` } },
        { app, pod, labels: { ...base, container: '', id: cgroup, image: '', name: '' } },
        { app, pod, labels: { ...base, container: 'POD', id: `${cgroup}/pause`, image: 'registry.k8s.io/pause:3.10', name: `k8s_POD_${pod}` } },
      ];
    }),
  );
  const periods = elapsedSeconds * 10; // 100 ms CFS periods
  const workingSet = (app: ClusterApp, pod: string) => (app === full && pod === app.pods[0] ? 0.95 : 0.4) * MEMORY_LIMIT_BYTES;
  const lines = [
    ...family('container_cpu_cfs_periods_total', 'counter', 'Number of elapsed enforcement period intervals.', series.map(({ labels }) => [labels, periods])),
    ...family('container_cpu_cfs_throttled_periods_total', 'counter', 'Number of throttled period intervals.', series.map(({ labels }) => [labels, periods * 0.2])),
    ...family(
      'container_memory_working_set_bytes',
      'gauge',
      'Current working set in bytes.',
      series.map(({ app, pod, labels }) => [labels, labels.container === 'POD' ? 1_000_000 : workingSet(app, pod)]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Serves `/kube-state-metrics` and `/cadvisor` on 127.0.0.1:port, values computed per scrape. */
export async function serveClusterSeries(apps: ClusterApp[], port: number): Promise<Server> {
  const started = Date.now();
  const server = createServer((request, response) => {
    const elapsed = (Date.now() - started) / 1000;
    const body = request.url === '/kube-state-metrics' ? kubeStateMetrics(apps, elapsed) : request.url === '/cadvisor' ? cadvisor(apps, elapsed) : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' }).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
