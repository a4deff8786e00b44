import { overviewDashboard } from './overview.js';
import { serviceDashboard } from './service.js';

/** File name (under monitoring/grafana/dashboards) → dashboard JSON text, as committed. */
export function renderDashboards(): Record<string, string> {
  return {
    'dentalos-overview.json': `${JSON.stringify(overviewDashboard(), null, 2)}\n`,
    'dentalos-service.json': `${JSON.stringify(serviceDashboard(), null, 2)}\n`,
  };
}
