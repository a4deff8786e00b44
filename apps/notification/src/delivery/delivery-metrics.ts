import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository.js';
import { DeliveryQueues } from './delivery.queues.js';

/** Queue depth and dead letters, read from their sources at scrape time. */
@Injectable()
export class DeliveryMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly queues: DeliveryQueues,
    private readonly deadLetters: DeadLetterRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.businessGauge({
      name: 'notification_queue_depth',
      help: 'Delivery jobs per channel queue and state',
      labelNames: ['channel', 'state'],
      collect: async (gauge) => {
        try {
          for (const { channel, counts } of await this.queues.depth()) {
            for (const [state, count] of Object.entries(counts)) gauge.set({ channel, state }, count);
          }
        } catch {
          // Redis away: the scrape still answers with the other metrics.
        }
      },
    });
    this.metrics.businessGauge({
      name: 'notification_dead_letters',
      help: 'Open dead letters (failed deliveries and unprocessable events)',
      collect: async (gauge) => {
        try {
          gauge.set(await this.deadLetters.countOpen());
        } catch {
          // Database away: keep the last value.
        }
      },
    });
  }
}
