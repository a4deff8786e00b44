import { once } from 'node:events';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import type { Redis } from 'ioredis';
import { GatewayEnv } from '../config/gateway.env.js';
import { parseRouteRule, ruleMatches } from '../routing/public-routes.js';
import { RATE_LIMIT_REDIS } from './rate-limit-redis.js';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window.script.js';

interface Limit {
  policy: string;
  key: string;
  limit: number;
  windowMs: number;
}

interface RouteRule {
  policy: string;
  method: string;
  path: string;
  prefix: boolean;
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  admitted: boolean;
  /** Headers for every answer, admitted or not (IETF RateLimit fields). */
  headers: Record<string, string>;
  policy: string;
  retryAfterSeconds: number;
}

const READY_WAIT_MS = 2_000;

type SlidingWindowClient = Redis & {
  gatewaySlidingWindow(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<[number, number, number, number, number]>;
};

function parseRouteRules(entries: string[]): RouteRule[] {
  return entries.map((entry) => {
    const at = entry.lastIndexOf('=');
    const [limit, windowSeconds] = entry.slice(at + 1).split('/').map(Number) as [number, number];
    const rule = parseRouteRule(entry.slice(0, at));
    return { ...rule, policy: `${rule.method} ${rule.path}`, limit, windowMs: windowSeconds * 1000 };
  });
}

/**
 * Per-IP, per-user and per-route limits, shared by every gateway replica through Redis. Redis is
 * not allowed to take the API down with it: when it cannot answer, requests pass and the
 * `fail_open` decision is counted so the gap is visible on the dashboard.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: SlidingWindowClient;
  private readonly routeRules: RouteRule[];
  private readonly windowMs: number;
  private readonly decisions;
  private lastFailureLog = 0;

  constructor(
    @Inject(RATE_LIMIT_REDIS) redis: Redis,
    private readonly env: GatewayEnv,
    metrics: MetricsRegistry,
  ) {
    redis.defineCommand('gatewaySlidingWindow', { lua: SLIDING_WINDOW_SCRIPT });
    this.redis = redis as SlidingWindowClient;
    this.routeRules = parseRouteRules(env.RATE_LIMIT_ROUTES);
    this.windowMs = env.RATE_LIMIT_WINDOW_SECONDS * 1000;
    this.decisions = metrics.counter('gateway_rate_limit_decisions_total', 'Rate-limit decisions by policy', ['policy', 'decision']);
  }

  /**
   * The client connects in the background and refuses commands until then; waiting briefly here
   * keeps the first requests after start-up from passing unlimited. Redis stays optional.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await Promise.race([once(this.redis, 'ready').catch(() => undefined), new Promise((resolve) => setTimeout(resolve, READY_WAIT_MS).unref())]);
  }

  async check(method: string, path: string, ip: string, userId: string | undefined): Promise<RateDecision> {
    const limits = this.limitsFor(method, path, ip, userId);
    const args: (string | number)[] = limits.map((limit) => limit.key);
    for (const limit of limits) args.push(limit.limit, limit.windowMs);
    let result: [number, number, number, number, number];
    try {
      result = await this.redis.gatewaySlidingWindow(limits.length, ...args);
    } catch (error) {
      this.failedOpen(error as Error);
      return { admitted: true, headers: {}, policy: 'none', retryAfterSeconds: 0 };
    }
    const [admitted, index, remaining, resetMs, retryAfterMs] = result;
    const tightest = limits[index]!;
    this.decisions.inc({ policy: tightest.policy, decision: admitted ? 'allowed' : 'limited' });
    const headers = {
      'ratelimit-limit': String(tightest.limit),
      'ratelimit-remaining': String(Math.max(0, remaining)),
      'ratelimit-reset': String(Math.max(1, Math.ceil(resetMs / 1000))),
      'ratelimit-policy': `${tightest.limit};w=${tightest.windowMs / 1000}`,
    };
    return { admitted: admitted === 1, headers, policy: tightest.policy, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  private limitsFor(method: string, path: string, ip: string, userId: string | undefined): Limit[] {
    const limits: Limit[] = [{ policy: 'ip', key: `rl:ip:${ip}`, limit: this.env.RATE_LIMIT_PER_IP, windowMs: this.windowMs }];
    if (userId) limits.push({ policy: 'user', key: `rl:user:${userId}`, limit: this.env.RATE_LIMIT_PER_USER, windowMs: this.windowMs });
    this.routeRules.forEach((rule, index) => {
      if (ruleMatches(rule, method, path)) limits.push({ policy: rule.policy, key: `rl:route${index}:ip:${ip}`, limit: rule.limit, windowMs: rule.windowMs });
    });
    return limits;
  }

  private failedOpen(error: Error): void {
    this.decisions.inc({ policy: 'none', decision: 'fail_open' });
    const now = Date.now();
    // One line per ten seconds is enough to notice; a line per request would flood the logs.
    if (now - this.lastFailureLog > 10_000) {
      this.lastFailureLog = now;
      this.logger.warn(`rate limits not enforced, Redis unavailable: ${error.message}`);
    }
  }
}
