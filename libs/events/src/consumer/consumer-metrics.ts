import type { MetricsRegistry } from '@dentalos/metrics';
import type { StreamConsumer } from './stream-consumer.js';

/**
 * `events_consumer_lag{stream,group}` (entries not yet read by the group) and
 * `events_consumer_pending{stream,group}` (read, not yet acknowledged), computed at scrape time.
 */
export function registerConsumerMetrics(metrics: MetricsRegistry, group: string, consumer: StreamConsumer): void {
  const pending = metrics.gauge('events_consumer_pending', 'Stream entries delivered to the group but not acknowledged', ['stream', 'group']);
  metrics.businessGauge({
    name: 'events_consumer_lag',
    help: 'Stream entries not yet delivered to the consumer group',
    labelNames: ['stream', 'group'],
    collect: async (gauge) => {
      try {
        for (const row of await consumer.lag()) {
          gauge.set({ stream: row.stream, group }, row.lag);
          pending.set({ stream: row.stream, group }, row.pending);
        }
      } catch {
        // Redis away: keep the last values rather than failing the whole scrape.
      }
    },
  });
}
