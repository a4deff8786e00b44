import { Counter, Gauge, Histogram, type Metric, Registry, collectDefaultMetrics } from 'prom-client';

export interface BusinessGaugeOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** Called on every scrape; set the gauge's values from the source of truth here. */
  collect: (gauge: Gauge<L>) => Promise<void> | void;
}

/**
 * The service's own prom-client registry. Every metric carries a `service` label so that the
 * four services can share one dashboard and one set of alert rules.
 */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.existing(name) ?? new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ): Histogram<L> {
    return this.existing(name) ?? new Histogram({ name, help, buckets, labelNames, registers: [this.registry] });
  }

  /** A gauge whose value is computed at scrape time, e.g. `enterprise_clinics`. */
  businessGauge<L extends string>(options: BusinessGaugeOptions<L>): Gauge<L> {
    const existing = this.existing<Gauge<L>>(options.name);
    if (existing) return existing;
    return new Gauge<L>({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames ?? [],
      registers: [this.registry],
      async collect() {
        await options.collect(this);
      },
    });
  }

  /** A metric built elsewhere, e.g. one whose values are read at scrape time. */
  register(metric: Metric): void {
    this.registry.registerMetric(metric);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}
