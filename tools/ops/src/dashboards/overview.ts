import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { errorRatio, latencyQuantile, stat, timeseries } from './panels.js';
import { datasourceVariable, namespaceVariable } from './variables.js';

const NS = 'namespace="$namespace"';
/** User traffic only: kubelet probes and scrapes are not what the SLO is about. */
const USER = `${NS},route!~"/health/.*|/metrics"`;

/** One screen for the whole platform: is anything burning, and where. */
export function overviewDashboard() {
  return new DashboardBuilder('DentalOS / Overview')
    .uid('dentalos-overview')
    .description('RED metrics and SLO burn of the four services side by side.')
    .tags(['dentalos', 'generated'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('utc')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())
    .withRow(new RowBuilder('Services'))
    .withPanel(
      stat({
        title: 'Instances up',
        description: 'Scrape targets answering per service; fewer than the HPA minimum means pods are missing.',
        unit: 'short',
        queries: [{ expr: `sum by (service) (up{${NS}})`, legend: '{{service}}' }],
        width: 12,
      }),
    )
    .withPanel(
      stat({
        title: 'Firing alerts',
        description: 'Alerts currently firing for this platform (Watchdog always fires: it proves alerting works).',
        unit: 'short',
        queries: [{ expr: 'sum by (alertname) (ALERTS{alertstate="firing",namespace=~"$namespace|"})', legend: '{{alertname}}' }],
        width: 12,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Request rate by service',
        description: 'Requests per second answered by each service (health checks and scrapes excluded).',
        unit: 'reqps',
        queries: [{ expr: `sum by (service) (rate(http_server_requests_total{${USER}}[$__rate_interval]))`, legend: '{{service}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio by service',
        description: 'Share of requests answered with 5xx. The SLO allows 0.1 % over 30 days.',
        unit: 'percentunit',
        queries: [{ expr: errorRatio(USER, 'service'), legend: '{{service}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'p99 latency by service',
        description: '99th percentile request duration; HighLatency fires above 500 ms for 10 minutes.',
        unit: 's',
        queries: [{ expr: latencyQuantile(0.99, USER, 'service'), legend: '{{service}}' }],
        width: 8,
      }),
    )
    .withRow(new RowBuilder('Error budget'))
    .withPanel(
      timeseries({
        title: 'Error budget burn rate (1 h)',
        description: 'Error ratio over 1 h divided by the budget (0.1 %). 14.4 with the 5 m window also high pages; 1 means the budget lasts exactly 30 days.',
        unit: 'short',
        queries: [{ expr: `service:http_server_requests_errors:ratio_rate1h{${NS}} / 0.001`, legend: '{{service}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error budget burn rate (1 d)',
        description: 'Slow burn: error ratio over 1 day divided by the budget; 3 with the 2 h window also high opens a ticket.',
        unit: 'short',
        queries: [{ expr: `service:http_server_requests_errors:ratio_rate1d{${NS}} / 0.001`, legend: '{{service}}' }],
      }),
    )
    .withRow(new RowBuilder('Business'))
    .withPanel(
      stat({
        title: 'Organizations',
        description: 'Organizations in the enterprise database (enterprise_organizations).',
        unit: 'short',
        queries: [{ expr: `max(enterprise_organizations{${NS}})`, legend: 'organizations' }],
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Clinics',
        description: 'Clinics in the enterprise database (enterprise_clinics).',
        unit: 'short',
        queries: [{ expr: `max(enterprise_clinics{${NS}})`, legend: 'clinics' }],
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Provider assignments',
        description: 'Provider-to-clinic assignments (enterprise_assignments).',
        unit: 'short',
        queries: [{ expr: `max(enterprise_assignments{${NS}})`, legend: 'assignments' }],
        width: 8,
      }),
    )
    .build();
}
