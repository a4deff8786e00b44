import type { MetricsRegistry } from '@dentalos/metrics';
import type { Connection } from 'mongoose';

/** Bucket edges around what the SlowDatabaseQueries alert and the dashboards look at. */
const COMMAND_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface CommandEvent {
  commandName: string;
  duration: number;
}

/** Times every driver command (find, update, insert…) from the driver's command monitoring. */
export function recordCommandDurations(connection: Connection, metrics: MetricsRegistry): void {
  const histogram = metrics.histogram(
    'mongodb_command_duration_seconds',
    'Duration of MongoDB commands as the driver saw them',
    COMMAND_BUCKETS,
    ['command', 'outcome'],
  );
  const observe = (outcome: string) => (event: CommandEvent) =>
    histogram.observe({ command: event.commandName, outcome }, event.duration / 1000);
  const attach = () => {
    const client = connection.getClient();
    client.on('commandSucceeded', observe('success'));
    client.on('commandFailed', observe('failure'));
  };
  // The client exists once the first connection attempt started.
  if (connection.readyState === 1) attach();
  else connection.once('connected', attach);
}
