import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { errorRatio, latencyQuantile, timeseries } from './panels.js';
import { datasourceVariable, namespaceVariable, serviceVariable } from './variables.js';

const SEL = 'namespace="$namespace",service="$service"';
const USER = `${SEL},route!~"/health/.*|/metrics"`;
/** cAdvisor/kube-state-metrics name the container after the app (k8s/base/<app>/deployment.yaml). */
const POD = 'namespace="$namespace",container="$service"';

/** One service in depth, picked with `$service`: the dashboard the runbook sends you to. */
export function serviceDashboard() {
  return new DashboardBuilder('DentalOS / Service')
    .uid('dentalos-service')
    .description('RED, Node runtime, saturation, resilience and pipeline metrics of one service.')
    .tags(['dentalos', 'generated'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('utc')
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable())
    .withVariable(serviceVariable())
    .withRow(new RowBuilder('Requests (RED)'))
    .withPanel(
      timeseries({
        title: 'Request rate by route',
        description: 'Requests per second per route template (never raw URLs, so the series stay few).',
        unit: 'reqps',
        queries: [{ expr: `sum by (route) (rate(http_server_requests_total{${SEL}}[$__rate_interval]))`, legend: '{{route}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Responses by status code',
        description: 'Responses per second by HTTP status; 4xx are client mistakes, 5xx are ours.',
        unit: 'reqps',
        queries: [{ expr: `sum by (status_code) (rate(http_server_requests_total{${SEL}}[$__rate_interval]))`, legend: '{{status_code}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio',
        description: 'Share of user requests answered with 5xx (health checks and scrapes excluded).',
        unit: 'percentunit',
        queries: [{ expr: errorRatio(USER, 'service'), legend: '5xx ratio' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Latency percentiles',
        description: 'p50, p95 and p99 request duration from the histogram (buckets at each SLO threshold).',
        unit: 's',
        queries: [
          { expr: latencyQuantile(0.5, USER, ''), legend: 'p50' },
          { expr: latencyQuantile(0.95, USER, ''), legend: 'p95' },
          { expr: latencyQuantile(0.99, USER, ''), legend: 'p99' },
        ],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Requests in flight',
        description: 'Requests being served right now per instance; a steady climb means something downstream is stuck.',
        unit: 'short',
        queries: [{ expr: `sum by (instance) (http_server_requests_in_flight{${SEL}})`, legend: '{{instance}}' }],
        width: 8,
      }),
    )
    .withRow(new RowBuilder('Node runtime'))
    .withPanel(
      timeseries({
        title: 'Event-loop lag p99',
        description: 'How long callbacks wait for the event loop; every request on the instance pays it.',
        unit: 's',
        queries: [{ expr: `max by (instance) (nodejs_eventloop_lag_p99_seconds{${SEL}})`, legend: '{{instance}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Heap used and total',
        description: 'V8 heap in use and reserved; the limit is 75 % of the container memory limit.',
        unit: 'bytes',
        queries: [
          { expr: `sum by (instance) (nodejs_heap_size_used_bytes{${SEL}})`, legend: 'used {{instance}}' },
          { expr: `sum by (instance) (nodejs_heap_size_total_bytes{${SEL}})`, legend: 'total {{instance}}' },
        ],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Time spent in GC',
        description: 'Fraction of wall time spent in garbage collection, by GC kind.',
        unit: 'percentunit',
        queries: [{ expr: `sum by (kind) (rate(nodejs_gc_duration_seconds_sum{${SEL}}[$__rate_interval]))`, legend: '{{kind}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'CPU used',
        description: 'CPU cores used per instance (process_cpu_seconds_total); the container limit is 1 core.',
        unit: 'short',
        queries: [{ expr: `sum by (instance) (rate(process_cpu_seconds_total{${SEL}}[$__rate_interval]))`, legend: '{{instance}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Resident memory',
        description: 'Resident set size per instance: heap plus buffers, native memory and code.',
        unit: 'bytes',
        queries: [{ expr: `sum by (instance) (process_resident_memory_bytes{${SEL}})`, legend: '{{instance}}' }],
      }),
    )
    .withRow(new RowBuilder('Saturation (Kubernetes)'))
    .withPanel(
      timeseries({
        title: 'CPU throttling',
        description: 'Share of CFS periods in which the container was throttled at its CPU limit (cAdvisor).',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{${POD}}[$__rate_interval])) / sum by (pod) (rate(container_cpu_cfs_periods_total{${POD}}[$__rate_interval]))`,
            legend: '{{pod}}',
          },
        ],
        width: 6,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Memory vs limit',
        description: 'Working set over the memory limit; the OOM killer acts at 100 %.',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (pod) (container_memory_working_set_bytes{${POD}}) / sum by (pod) (kube_pod_container_resource_limits{${POD},resource="memory"})`,
            legend: '{{pod}}',
          },
        ],
        width: 6,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Restarts (1 h)',
        description: 'Container restarts over the last hour per pod (kube-state-metrics).',
        unit: 'short',
        queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${POD}}[1h]))`, legend: '{{pod}}' }],
        width: 6,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Replicas',
        description: 'Available pods against the HPA’s desired count.',
        unit: 'short',
        queries: [
          { expr: 'sum(kube_deployment_status_replicas_available{namespace="$namespace",deployment="$service"})', legend: 'available' },
          { expr: 'sum(kube_horizontalpodautoscaler_status_desired_replicas{namespace="$namespace",horizontalpodautoscaler="$service"})', legend: 'desired' },
        ],
        width: 6,
      }),
    )
    .withRow(new RowBuilder('Resilience'))
    .withPanel(
      timeseries({
        title: 'Circuit breaker states',
        description: 'Current state of each circuit breaker (1 = in that state): open means calls fail fast.',
        unit: 'short',
        queries: [{ expr: `max by (policy, state) (resilience_circuit_state{${SEL}})`, legend: '{{policy}} {{state}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Outbound calls by outcome',
        description: 'Calls through resilience policies per second, by policy and outcome.',
        unit: 'reqps',
        queries: [{ expr: `sum by (policy, outcome) (rate(resilience_calls_total{${SEL}}[$__rate_interval]))`, legend: '{{policy}} {{outcome}}' }],
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Retries',
        description: 'Retries per second by policy; the retry budget caps them at a share of calls.',
        unit: 'reqps',
        queries: [
          {
            // Counters appear on the first retry; `or ... * 0` shows 0 for policies that never retried.
            expr: `sum by (policy) (rate(resilience_retries_total{${SEL}}[$__rate_interval])) or sum by (policy) (rate(resilience_calls_total{${SEL}}[$__rate_interval])) * 0`,
            legend: '{{policy}}',
          },
        ],
        width: 8,
      }),
    )
    .withRow(new RowBuilder('Notification pipeline'))
    .withPanel(
      timeseries({
        title: 'Event consumer lag',
        description: 'Events not yet processed per stream by the notification consumers.',
        unit: 'short',
        queries: [{ expr: 'max by (stream) (events_consumer_lag{namespace="$namespace"})', legend: '{{stream}}' }],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Dead letters',
        description: 'Notifications that exhausted their retries and wait for a replay.',
        unit: 'short',
        queries: [{ expr: 'max(notification_dead_letters{namespace="$namespace"})', legend: 'dead letters' }],
      }),
    )
    .build();
}
