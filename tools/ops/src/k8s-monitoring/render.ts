import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = join(import.meta.dirname, '../../../..');
export const RULES_DIR = join(ROOT, 'monitoring/prometheus/rules');
export const DASHBOARDS_DIR = join(ROOT, 'monitoring/grafana/dashboards');
/** Kustomize only loads files under a kustomization's own folder, so the generated copies live here. */
export const K8S_MONITORING_DIR = join(ROOT, 'k8s/base/monitoring');

/**
 * Labels a Prometheus's `ruleSelector` matches on. `release: prometheus` is what the
 * kube-prometheus-stack Helm chart selects by default (a release named "prometheus"; the
 * ServiceMonitors carry the same label); `prometheus: k8s` + `role: alert-rules` is the
 * kube-prometheus (jsonnet) convention.
 */
export const RULE_SELECTOR_LABELS = { release: 'prometheus', prometheus: 'k8s', role: 'alert-rules' } as const;

/** The Grafana dashboard sidecar (k8s-sidecar, as the Grafana and kube-prometheus-stack charts run it) loads ConfigMaps with this label. */
export const DASHBOARD_LABELS = { grafana_dashboard: '1' } as const;

const GENERATED_BY = 'pnpm exec nx run ops:k8s-monitoring';

function header(source: string): string {
  return `# Generated from ${source} by \`${GENERATED_BY}\`; edit the source, not this file.\n`;
}

function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0 });
}

function prometheusRule(file: string): { name: string; text: string } {
  const name = `dentalos-${basename(file).replace(/\.rules\.ya?ml$/, '')}`;
  const source = parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: unknown[] };
  const object = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'monitoring', ...RULE_SELECTOR_LABELS } },
    spec: { groups: source.groups },
  };
  return { name: `prometheusrule-${name}.yaml`, text: header(`monitoring/prometheus/rules/${file}`) + toYaml(object) };
}

function dashboardConfigMap(file: string): { name: string; text: string } {
  const name = `grafana-dashboard-${file.replace(/\.json$/, '')}`;
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'monitoring', ...DASHBOARD_LABELS },
      // Read by the sidecar when its folderAnnotation is set to this key; ignored otherwise.
      annotations: { grafana_folder: 'DentalOS' },
    },
    data: { [file]: readFileSync(join(DASHBOARDS_DIR, file), 'utf8') },
  };
  return { name: `${name}.yaml`, text: header(`monitoring/grafana/dashboards/${file}`) + toYaml(object) };
}

/**
 * File name (under k8s/base/monitoring) → text: one PrometheusRule per rule file of
 * monitoring/prometheus/rules and one ConfigMap per dashboard of monitoring/grafana/dashboards,
 * plus the kustomization listing them.
 */
export function renderK8sMonitoring(): Record<string, string> {
  const rules = readdirSync(RULES_DIR).filter((file) => /\.rules\.ya?ml$/.test(file)).sort().map(prometheusRule);
  const dashboards = readdirSync(DASHBOARDS_DIR).filter((file) => file.endsWith('.json')).sort().map(dashboardConfigMap);
  const files = [...rules, ...dashboards];
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((file) => file.name),
  };
  const rendered: Record<string, string> = {
    'kustomization.yaml': `${header('monitoring/')}# Alerting and recording rules for the prometheus-operator, dashboards for the Grafana sidecar.\n${toYaml(kustomization)}`,
  };
  for (const file of files) rendered[file.name] = file.text;
  return rendered;
}
