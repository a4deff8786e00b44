import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS_DIR, DASHBOARD_LABELS, K8S_MONITORING_DIR, RULES_DIR, RULE_SELECTOR_LABELS, renderK8sMonitoring } from '../src/k8s-monitoring/render.js';
import { type K8sObject, OVERLAYS, type Overlay, ensureOpsTools, parseObjects, renderOverlay, run, tool } from './support.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}
interface Group {
  name: string;
  rules: Rule[];
}

const sourceGroups: Group[] = readdirSync(RULES_DIR)
  .filter((file) => /\.rules\.ya?ml$/.test(file))
  .flatMap((file) => (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: Group[] }).groups);
const dashboardFiles = readdirSync(DASHBOARDS_DIR).filter((file) => file.endsWith('.json'));

/**
 * The Prometheus `ruleSelector`s of the two common prometheus-operator installations: the
 * kube-prometheus-stack Helm chart (release "prometheus") and kube-prometheus (jsonnet).
 */
const RULE_SELECTORS = {
  'kube-prometheus-stack': { release: 'prometheus' },
  'kube-prometheus': { prometheus: 'k8s', role: 'alert-rules' },
};

/** kubectl's client-side apply keeps the whole object in an annotation, capped at 256 KiB. */
const LAST_APPLIED_LIMIT_BYTES = 262_144;

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('monitoring/ packaged for the cluster (k8s/base/monitoring)', () => {
  const work = mkdtempSync(join(tmpdir(), 'ops-k8s-monitoring-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the committed manifests are exactly what the generator produces from monitoring/', () => {
    const rendered = renderK8sMonitoring();
    expect(readdirSync(K8S_MONITORING_DIR).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(join(K8S_MONITORING_DIR, file), 'utf8'), `${file}: run \`pnpm exec nx run ops:k8s-monitoring\``).toBe(text);
    }
  });

  it('the selector labels documented for operators are the ones the rules carry', () => {
    expect(RULE_SELECTOR_LABELS).toEqual({ ...RULE_SELECTORS['kube-prometheus-stack'], ...RULE_SELECTORS['kube-prometheus'] });
  });

  it('the validator checks PrometheusRule fields strictly (a misspelled rule key fails)', () => {
    const misspelled = ['apiVersion: monitoring.coreos.com/v1', 'kind: PrometheusRule', 'metadata: { name: typo }', 'spec:', '  groups:', '    - name: g', '      rules: [{ alert: A, exp: up == 0 }]'].join('\n');
    const result = run(tool('k8s-validate'), ['-'], { input: misspelled });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown field "exp"');
  });

  describe.each(OVERLAYS)('rendered by the %s overlay', (overlay: Overlay) => {
    let objects: K8sObject[];
    const rules = () => objects.filter((object) => object.kind === 'PrometheusRule');
    const renderedGroups = (): Group[] => rules().flatMap((rule) => rule.spec.groups as Group[]);

    beforeAll(() => {
      ensureOpsTools();
      objects = parseObjects(renderOverlay(overlay));
    });

    it('every rule group, alert and recording rule of monitoring/ is in a PrometheusRule, unchanged', () => {
      expect(renderedGroups().map((group) => group.name).sort()).toEqual(sourceGroups.map((group) => group.name).sort());
      expect(renderedGroups()).toEqual(expect.arrayContaining(sourceGroups));
      const names = (groups: Group[]) => groups.flatMap((group) => group.rules.map((rule) => rule.alert ?? `record:${rule.record}`)).sort();
      expect(names(renderedGroups())).toEqual(names(sourceGroups));
      expect(names(renderedGroups())).toContain('Watchdog');
    });

    it('promtool accepts the rule groups exactly as the PrometheusRules carry them', () => {
      const file = join(work, `${overlay}.rules.yaml`);
      writeFileSync(file, JSON.stringify({ groups: renderedGroups() }));
      const result = run('promtool', ['check', 'rules', file]);
      expect(result.stdout + result.stderr).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });

    it.each(Object.keys(RULE_SELECTORS))('every PrometheusRule is picked up by the %s ruleSelector', (installation) => {
      expect(rules().length).toBeGreaterThan(0);
      const selector = RULE_SELECTORS[installation as keyof typeof RULE_SELECTORS];
      for (const rule of rules()) expect(matches(selector, rule.metadata.labels), rule.metadata.name).toBe(true);
    });

    it('PrometheusRules and ServiceMonitors carry the same release label, so one Prometheus selects both', () => {
      const releases = new Set(
        objects.filter((object) => object.kind === 'PrometheusRule' || object.kind === 'ServiceMonitor').map((object) => object.metadata.labels?.release),
      );
      expect([...releases]).toEqual([RULE_SELECTOR_LABELS.release]);
    });

    it('every dashboard of monitoring/ is a ConfigMap the Grafana sidecar loads, with the committed JSON', () => {
      const dashboards = objects.filter((object) => object.kind === 'ConfigMap' && matches(DASHBOARD_LABELS, object.metadata.labels));
      const carried = Object.fromEntries(dashboards.flatMap((configMap) => Object.entries(configMap.data as Record<string, string>)));
      expect(Object.keys(carried).sort()).toEqual([...dashboardFiles].sort());
      for (const file of dashboardFiles) {
        expect(carried[file], file).toBe(readFileSync(join(DASHBOARDS_DIR, file), 'utf8'));
        expect(JSON.parse(carried[file]).uid).toBe(file.replace('.json', ''));
      }
    });

    it('every monitoring object fits in kubectl apply (last-applied annotation limit)', () => {
      const monitoring = objects.filter((object) => object.metadata.labels?.['app.kubernetes.io/component'] === 'monitoring');
      expect(monitoring.length).toBe(rules().length + dashboardFiles.length);
      for (const object of monitoring) {
        expect(JSON.stringify(object).length, `${object.kind}/${object.metadata.name}`).toBeLessThan(LAST_APPLIED_LIMIT_BYTES);
      }
    });
  });
});
