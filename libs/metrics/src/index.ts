export { HTTP_DURATION_BUCKETS, HttpMetrics } from './http-metrics.js';
export { MetricsController } from './metrics.controller.js';
export { MetricsModule, type MetricsModuleOptions } from './metrics.module.js';
export { type BusinessGaugeOptions, MetricsRegistry } from './metrics-registry.js';
