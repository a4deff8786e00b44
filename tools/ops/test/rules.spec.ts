import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, run } from './support.js';

const RULES = join(ROOT, 'monitoring/prometheus/rules');
const RULE_FILES = ['recording.rules.yaml', 'alerts.rules.yaml'].map((file) => join(RULES, file));
const TESTS = join(ROOT, 'monitoring/prometheus/tests/alerts.test.yaml');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const groups = RULE_FILES.flatMap((file) => (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups);
const rules = groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
      match[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-'),
    ),
  );
}

describe('Prometheus rules', () => {
  it('promtool check rules accepts every rule file', () => {
    const result = run('promtool', ['check', 'rules', ...RULE_FILES]);
    expect(result.stdout + result.stderr).not.toContain('FAILED');
    expect(result.status).toBe(0);
  });

  it('promtool test rules passes: each alert pending, then firing with its exact labels and annotations', () => {
    const result = run('promtool', ['test', 'rules', TESTS]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('every alert has a pending and a firing case in the promtool tests', () => {
    const tests = parse(readFileSync(TESTS, 'utf8')) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    for (const name of new Set(alerts.map((alert) => alert.alert!))) {
      const mine = cases.filter((testCase) => testCase.alertname === name);
      if (name !== 'Watchdog') expect(mine.some((testCase) => testCase.exp_alerts.length === 0), `${name} not-yet-firing`).toBe(true);
      expect(mine.some((testCase) => testCase.exp_alerts.length > 0), `${name} firing`).toBe(true);
    }
  });

  it('has the alerts the platform relies on', () => {
    const names = new Set(alerts.map((alert) => alert.alert));
    for (const name of [
      'HighErrorRate', 'ServiceDown', 'DatabaseConnectionErrors', 'LowReplicaCount', 'HighLatency', 'HighMemoryUsage',
      'HighEventLoopLag', 'HighPodRestartRate', 'HighCPUUsage', 'SlowDatabaseQueries', 'ErrorBudgetBurnPage',
      'ErrorBudgetBurnTicket', 'CircuitBreakerOpen', 'DeadLettersGrowing', 'EventStreamLag', 'Watchdog',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('burn-rate alerts cover the four SRE-workbook window pairs with their factors', () => {
    const burn = alerts.filter((alert) => alert.alert!.startsWith('ErrorBudgetBurn'));
    const pairs = burn.map((alert) => `${alert.labels!.long_window}/${alert.labels!.short_window}:${alert.labels!.severity}`);
    expect(pairs.sort()).toEqual(['1d/2h:warning', '1h/5m:critical', '3d/6h:warning', '6h/30m:critical']);
    const factor = (alert: Rule) => /> \(([\d.]+) \* 0\.001\)/.exec(alert.expr)![1];
    expect(burn.map(factor)).toEqual(['14.4', '6', '3', '1']);
  });

  it('every alert has severity, summary, description and a runbook_url resolving to a RUNBOOK.md heading', () => {
    const headings = anchors(readFileSync(join(ROOT, 'RUNBOOK.md'), 'utf8'));
    for (const alert of alerts) {
      expect(alert.labels?.severity, alert.alert).toMatch(/^(critical|warning|info|none)$/);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      const url = new URL(alert.annotations!.runbook_url);
      expect(url.pathname.endsWith('/RUNBOOK.md'), alert.alert).toBe(true);
      expect(headings, `${alert.alert} → ${url.hash}`).toContain(url.hash.slice(1));
    }
  });

  it('recording rules are named level:metric:operations', () => {
    for (const rule of rules.filter((candidate) => candidate.record)) {
      expect(rule.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
    }
  });

  it('the runbook section of every alert has Meaning, Impact, Diagnosis, Mitigation and Escalation', () => {
    const runbook = readFileSync(join(ROOT, 'RUNBOOK.md'), 'utf8');
    for (const name of new Set(alerts.map((alert) => alert.alert!))) {
      const section = runbook.split(`### ${name}\n`)[1]?.split(/^##+ /m)[0];
      expect(section, name).toBeDefined();
      for (const part of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']) expect(section, `${name} ${part}`).toContain(`**${part}.**`);
    }
  });
});
