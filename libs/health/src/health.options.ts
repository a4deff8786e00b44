export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Ping MongoDB in readiness; a failure makes the service not ready. */
  mongo?: boolean;
  /** Ping Redis in readiness; a failure is reported as degraded, still ready. */
  redis?: boolean;
  /** Per-check timeout, so one hung dependency cannot hang the probe. */
  timeoutMs?: number;
}
