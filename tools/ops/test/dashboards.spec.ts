import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDashboards } from '../src/dashboards/index.js';
import { ROOT } from './support.js';

const DIR = join(ROOT, 'monitoring/grafana/dashboards');

interface Panel {
  type: string;
  title?: string;
  description?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; refId: string }[];
  datasource?: { uid: string };
}

describe('Grafana dashboards', () => {
  const rendered = renderDashboards();

  it('the committed JSON is exactly what the TypeScript generator produces', () => {
    expect(readdirSync(DIR).filter((file) => file.endsWith('.json')).sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, json] of Object.entries(rendered)) {
      expect(readFileSync(join(DIR, file), 'utf8'), `${file}: run \`pnpm exec nx run ops:dashboards\``).toBe(json);
    }
  });

  it.each(Object.keys(rendered))('%s has a stable uid and $datasource/$namespace variables', (file) => {
    const dashboard = JSON.parse(rendered[file]);
    expect(dashboard.uid).toBe(file.replace('.json', ''));
    const variables = dashboard.templating.list.map((variable: { name: string }) => variable.name);
    expect(variables).toEqual(expect.arrayContaining(['datasource', 'namespace']));
  });

  it.each(Object.keys(rendered))('every panel of %s has a title, description, unit and $datasource queries', (file) => {
    const panels: Panel[] = JSON.parse(rendered[file]).panels.filter((panel: Panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) {
      expect(panel.title).toBeTruthy();
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
      expect(panel.datasource?.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets!) {
        expect(target.expr).toMatch(/namespace=~?"\$namespace/);
        // Rates use Grafana's interval so panels stay correct at any zoom and scrape interval.
        for (const range of target.expr.matchAll(/(?:rate|increase)\([^[]+\[([^\]]+)\]/g)) {
          expect(['$__rate_interval', '1h'], `${panel.title}: ${target.expr}`).toContain(range[1]);
        }
      }
    }
  });

  it('the service dashboard covers RED, runtime, saturation, resilience, business and pipeline', () => {
    const rows = (file: string) =>
      JSON.parse(rendered[file]).panels.filter((panel: Panel) => panel.type === 'row').map((panel: Panel) => panel.title);
    expect(rows('dentalos-service.json')).toEqual(['Requests (RED)', 'Node runtime', 'Saturation (Kubernetes)', 'Resilience', 'Notification pipeline']);
    expect(rows('dentalos-overview.json')).toEqual(['Services', 'Error budget', 'Business']);
  });
});
