import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManagedProcess, freePort, spawnManaged, testDatabaseUri, testKeyPrefix, uniqueName, waitFor } from '@dentalos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboards } from '../src/dashboards/index.js';
import { clusterApps, serveClusterSeries, trippedAlerts } from './cluster-series.js';
import { ROOT, run } from './support.js';

const APPS = ['user', 'notification', 'enterprise', 'gateway'] as const;
const RULE_FILES = ['recording.rules.yaml', 'alerts.rules.yaml'].map((file) => join(ROOT, 'monitoring/prometheus/rules', file));

/**
 * Business gauges have one series per status value and none while the table is empty (a fresh
 * test database): for these the check is that the service exports the metric family (HELP line).
 */
const DATA_DEPENDENT: Record<string, string> = {
  enterprise_organizations: 'enterprise',
  enterprise_clinics: 'enterprise',
  enterprise_assignments: 'enterprise',
};

/** Exported by kube-state-metrics and cAdvisor in a cluster; here by synthetic series of the same shape. */
const K8S_ONLY = /\b(kube_[a-z_]+|container_[a-z_]+)\b/;
const CLUSTER = clusterApps(APPS);
/** Event streams of this run only: other suites on the same Redis create and delete their own. */
const STREAM_PREFIX = `${uniqueName('ops_live')}_`;

interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

function panelQueries(): PanelQuery[] {
  return Object.entries(renderDashboards()).flatMap(([dashboard, json]) =>
    (JSON.parse(json).panels as { type: string; title: string; targets?: { expr: string }[] }[])
      .filter((panel) => panel.type !== 'row')
      .flatMap((panel) => (panel.targets ?? []).map((target) => ({ dashboard, panel: panel.title, expr: target.expr }))),
  );
}

/** Grafana's variables as a Prometheus query sees them on this stack. */
function substitute(expr: string, service: string): string {
  return expr.replaceAll('$__rate_interval', '15s').replaceAll('$namespace', 'dentalos').replaceAll('$service', service);
}

function appEnv(app: string, port: number, ports: Record<string, number>): NodeJS.ProcessEnv {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets: Record<string, NodeJS.ProcessEnv> = {
    user: {
      JWT_SIGNING_KEYS: JSON.stringify([{ kid: 'live-1', status: 'active', privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) }]),
      EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
    },
    notification: {
      EVENT_SEALING_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_SECRET: randomBytes(16).toString('hex'),
      EVENTS_USER_STREAM: `${STREAM_PREFIX}events.user`,
      EVENTS_ENTERPRISE_STREAM: `${STREAM_PREFIX}events.enterprise`,
    },
    gateway: {
      GATEWAY_UPSTREAMS: ['user', 'enterprise', 'notification'].map((name) => `${name}=http://127.0.0.1:${ports[name]}`).join(','),
    },
  };
  return {
    PATH: process.env.PATH,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    JWKS_URL: `http://127.0.0.1:${ports.user}/.well-known/jwks.json`,
    MONGODB_URI: testDatabaseUri(`ops_live_${app}`),
    REDIS_KEY_PREFIX: testKeyPrefix(`ops_live_${app}`),
    EVENT_STREAM_PREFIX: STREAM_PREFIX,
    ...secrets[app],
  };
}

describe('live check: a real Prometheus scrapes the running services', () => {
  const work = mkdtempSync(join(tmpdir(), 'ops-prometheus-'));
  const ports: Record<string, number> = {};
  const processes: ManagedProcess[] = [];
  let prometheus: ManagedProcess;
  let clusterSeries: Server;
  let api: string;

  const query = async (expr: string): Promise<{ status: string; error?: string; data?: { result: unknown[] } }> => {
    const response = await fetch(`${api}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    return (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  };

  beforeAll(async () => {
    const build = run(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', ...APPS, '--outputStyle=static'], {
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    for (const app of [...APPS, 'prometheus', 'cluster']) ports[app] = await freePort();
    clusterSeries = await serveClusterSeries(CLUSTER, ports.cluster);
    for (const app of APPS) {
      const child = spawnManaged('node', [join(ROOT, `apps/${app}/dist/bundle/main.js`)], appEnv(app, ports[app], ports));
      processes.push(child);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${ports[app]}/health/readiness`)).ok, {
        timeoutMs: 90_000,
        intervalMs: 250,
        what: `${app} readiness\n${child.output()}`,
      });
    }
    // The same target labels the ServiceMonitors give in Kubernetes: namespace and service. The
    // cluster exporters are scraped as kube-prometheus does: honor_labels, so the object's own
    // namespace/pod/container labels win over the exporter's target labels.
    const clusterJob = (job: string, path: string, namespace: string) => ({
      job_name: job,
      honor_labels: true,
      metrics_path: path,
      static_configs: [{ targets: [`127.0.0.1:${ports.cluster}`], labels: { namespace, service: job } }],
    });
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: RULE_FILES,
      scrape_configs: [
        ...APPS.map((app) => ({
          job_name: app,
          static_configs: [{ targets: [`127.0.0.1:${ports[app]}`], labels: { namespace: 'dentalos', service: app } }],
        })),
        clusterJob('kube-state-metrics', '/kube-state-metrics', 'monitoring'),
        clusterJob('kubelet', '/cadvisor', 'kube-system'),
      ],
    };
    writeFileSync(join(work, 'prometheus.yml'), JSON.stringify(config));
    api = `http://127.0.0.1:${ports.prometheus}`;
    prometheus = spawnManaged('prometheus', [
      `--config.file=${join(work, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(work, 'data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
    ]);
    processes.push(prometheus);
    await waitFor(async () => (await fetch(`${api}/-/ready`)).ok, { timeoutMs: 30_000, what: `prometheus ready\n${prometheus.output()}` });
    // User traffic on every service (a 404 and the API docs), through the gateway as well.
    for (let round = 0; round < 5; round += 1) {
      for (const app of APPS) {
        await fetch(`http://127.0.0.1:${ports[app]}/api-docs-json`).then((response) => response.arrayBuffer());
        await fetch(`http://127.0.0.1:${ports[app]}/api/v1/no-such-route`).then((response) => response.arrayBuffer());
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    // Several scrapes of every target, so rates over 15 s have at least two samples.
    await waitFor(async () => (await query('count(count_over_time(up[15s]) >= 4)')).data?.result.length === 1, {
      timeoutMs: 30_000,
      what: 'four scrapes',
    });
    // A rule group may first evaluate before rates have two samples; its next pass (every 30 s)
    // sees the traffic, so wait for the recorded error ratios rather than for one evaluation.
    const errorRatios = ['5m', '1h', '1d'].map((window) => `service:http_server_requests_errors:ratio_rate${window}`);
    await waitFor(
      async () => {
        for (const expr of errorRatios) if (((await query(expr)).data?.result.length ?? 0) < APPS.length) return false;
        return true;
      },
      { timeoutMs: 75_000, intervalMs: 1_000, what: 'recorded error ratios for every service' },
    );
    // The notification consumer joins its stream groups once its system templates are seeded,
    // after readiness; its lag series exist from then on.
    await waitFor(async () => ((await query('events_consumer_lag')).data?.result.length ?? 0) > 0, {
      timeoutMs: 60_000,
      intervalMs: 1_000,
      what: `events_consumer_lag series\n${processes[APPS.indexOf('notification')].output()}`,
    });
  });

  afterAll(async () => {
    for (const child of processes.reverse()) await child.stop();
    await new Promise((resolve) => clusterSeries?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  it('scrapes all four services successfully', async () => {
    const up = await query('up{namespace="dentalos"} == 1');
    const services = (up.data!.result as { metric: { service: string } }[]).map((series) => series.metric.service).sort();
    expect(services).toEqual([...APPS].sort());
  });

  it('loads every rule group and every rule evaluates without error', async () => {
    await waitFor(
      async () => {
        const body = (await (await fetch(`${api}/api/v1/rules`)).json()) as { data: { groups: { rules: { lastEvaluation: string }[] }[] } };
        return body.data.groups.every((group) => group.rules.every((rule) => !rule.lastEvaluation.startsWith('0001')));
      },
      { timeoutMs: 30_000, what: 'every rule evaluated once' },
    );
    const body = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    expect(body.data.groups.length).toBe(8);
    const unhealthy = body.data.groups.flatMap((group) => group.rules).filter((rule) => rule.health !== 'ok');
    expect(unhealthy).toEqual([]);
    // The recording rules produce series from the live metrics.
    expect((await query('service:http_server_requests:rate5m')).data!.result.length).toBeGreaterThanOrEqual(APPS.length);
    expect((await query('service:http_server_requests_errors:ratio_rate5m')).data!.result.length).toBeGreaterThanOrEqual(APPS.length);
  });

  it('every panel query returns at least one series (Kubernetes-only metrics excepted)', async () => {
    const empty: string[] = [];
    for (const panel of panelQueries().filter((candidate) => !K8S_ONLY.test(candidate.expr))) {
      let series = 0;
      for (const service of APPS) {
        const result = await query(substitute(panel.expr, service));
        expect(result.status, `${panel.panel}: ${result.error}`).toBe('success');
        series = Math.max(series, result.data!.result.length);
        if (series > 0) break;
      }
      if (series > 0) continue;
      const family = Object.keys(DATA_DEPENDENT).find((name) => panel.expr.includes(name));
      if (family) {
        const exposition = await (await fetch(`http://127.0.0.1:${ports[DATA_DEPENDENT[family]]}/metrics`)).text();
        if (exposition.includes(`# HELP ${family} `)) continue;
      }
      empty.push(`${panel.dashboard} / ${panel.panel}: ${panel.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('Kubernetes-only panel queries return series from kube-state-metrics and cAdvisor series', async () => {
    const k8sOnly = panelQueries().filter((panel) => K8S_ONLY.test(panel.expr));
    expect(k8sOnly.map((panel) => panel.panel).sort()).toEqual(['CPU throttling', 'Memory vs limit', 'Replicas', 'Replicas', 'Restarts (1 h)']);
    const empty: string[] = [];
    for (const panel of k8sOnly) {
      for (const service of APPS) {
        const result = await query(substitute(panel.expr, service));
        expect(result.status, `${panel.panel}: ${result.error}`).toBe('success');
        if (result.data!.result.length === 0) empty.push(`${panel.panel} ($service=${service}): ${panel.expr}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('a misspelled label in a Kubernetes panel query finds nothing (the check above can fail)', async () => {
    const memory = panelQueries().find((panel) => panel.panel === 'Memory vs limit')!;
    const misspelled = substitute(memory.expr, 'user').replace('resource="memory"', 'resource="memory_bytes"');
    expect(misspelled).not.toBe(substitute(memory.expr, 'user'));
    expect((await query(misspelled)).data!.result).toEqual([]);
  });

  it('alerts over Kubernetes metrics trip on the synthetic cluster series, on the right object', async () => {
    const expected = trippedAlerts(CLUSTER);
    const alertsOf = async () =>
      ((await query(`ALERTS{alertname=~"${expected.map((alert) => alert.alertname).join('|')}"}`)).data?.result ?? []) as { metric: Record<string, string> }[];
    // HighPodRestartRate needs more than 3 restarts inside its window: a few seconds of scrapes.
    await waitFor(async () => new Set((await alertsOf()).map((series) => series.metric.alertname)).size === expected.length, {
      timeoutMs: 30_000,
      what: `alerts ${expected.map((alert) => alert.alertname).join(', ')} pending or firing`,
    });
    const alerts = await alertsOf();
    for (const { alertname, labels } of expected) {
      const mine = alerts.filter((series) => series.metric.alertname === alertname).map((series) => series.metric);
      expect(mine, alertname).toEqual([expect.objectContaining({ ...labels, namespace: 'dentalos' })]);
    }
  });
});
