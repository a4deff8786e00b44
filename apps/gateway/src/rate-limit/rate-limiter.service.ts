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
  /** Requests left under the tightest policy. */
  remaining: number;
  retryAfterSeconds: number;
}

const READY_WAIT_MS = 2_000;

/** Checks sent in one script call at most; a larger backlog leaves in several. */
const MAX_BATCH = 256;

/** Integers the script returns per request (see sliding-window.script.ts). */
const RESULT_WIDTH = 5;

const FAIL_OPEN: RateDecision = { admitted: true, headers: {}, policy: 'none', remaining: Number.POSITIVE_INFINITY, retryAfterSeconds: 0 };

type SlidingWindowClient = Redis & {
  gatewaySlidingWindow(keyCount: number, ...keysAndArgs: (string | number)[]): Promise<number[]>;
};

interface PendingCheck {
  limits: Limit[];
  resolve: (decision: RateDecision) => void;
}

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
 *
 * Checks are batched: those arriving in the same event-loop turn (under load, every request read
 * from the sockets in one poll) are decided by one script call, flushed in the check phase right
 * after that poll, so batching adds no wait. The script decides them one by one, exactly as
 * separate calls would, so limits stay exact across replicas; what a batch saves is the client
 * and server work of one Redis command per request.
 */
@Injectable()
export class RateLimiter implements OnApplicationBootstrap {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: SlidingWindowClient;
  private readonly routeRules: RouteRule[];
  private readonly windowMs: number;
  private readonly decisions;
  private readonly decisionCounters = new Map<string, { inc: (value?: number) => void }>();
  private lastFailureLog = 0;
  private batch: PendingCheck[] = [];
  private flushScheduled = false;
  private readonly flushBatch = () => {
    this.flushScheduled = false;
    this.flush();
  };

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

  /** Every limit that applies: the address's, the route's for that address and, when known, the user's. */
  check(method: string, path: string, ip: string, userId: string | undefined): Promise<RateDecision> {
    return this.decide(this.limitsFor(method, path, ip, userId));
  }

  /** The user's limit alone, for a caller whose address was already charged for this request. */
  checkUser(userId: string): Promise<RateDecision> {
    return this.decide([this.userLimit(userId)]);
  }

  private decide(limits: Limit[]): Promise<RateDecision> {
    return new Promise((resolve) => {
      this.batch.push({ limits, resolve });
      if (this.batch.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flushBatch);
      }
    });
  }

  private flush(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    // KEYS are the distinct keys of the batch (one user's or one IP's requests share theirs),
    // followed in ARGV by each key's limit and window, then each request's key indexes.
    const indexes = new Map<string, number>();
    const keys: string[] = [];
    const params: number[] = [];
    const requests: number[] = [];
    for (const { limits } of batch) {
      requests.push(limits.length);
      for (const limit of limits) {
        let index = indexes.get(limit.key);
        if (index === undefined) {
          index = keys.push(limit.key);
          indexes.set(limit.key, index);
          params.push(limit.limit, limit.windowMs);
        }
        requests.push(index);
      }
    }
    this.redis.gatewaySlidingWindow(keys.length, ...keys, ...params, ...requests).then(
      (result) => batch.forEach((pending, i) => pending.resolve(this.decision(pending.limits, result, i * RESULT_WIDTH))),
      (error: Error) => {
        this.failedOpen(error, batch.length);
        for (const pending of batch) pending.resolve(FAIL_OPEN);
      },
    );
  }

  private decision(limits: Limit[], result: number[], at: number): RateDecision {
    const admitted = result[at] === 1;
    const tightest = limits[result[at + 1]!]!;
    const remaining = Math.max(0, result[at + 2]!);
    const resetMs = result[at + 3]!;
    const retryAfterMs = result[at + 4]!;
    this.count(tightest.policy, admitted ? 'allowed' : 'limited');
    const headers = {
      'ratelimit-limit': String(tightest.limit),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(Math.max(1, Math.ceil(resetMs / 1000))),
      'ratelimit-policy': `${tightest.limit};w=${tightest.windowMs / 1000}`,
    };
    return { admitted, headers, policy: tightest.policy, remaining, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }

  /** Policies and decisions are few and fixed: one bound child each, found by one map lookup. */
  private count(policy: string, decision: 'allowed' | 'limited' | 'fail_open', requests = 1): void {
    const key = `${policy}\n${decision}`;
    let counter = this.decisionCounters.get(key);
    if (!counter) {
      counter = this.decisions.labels(policy, decision);
      this.decisionCounters.set(key, counter);
    }
    counter.inc(requests);
  }

  private limitsFor(method: string, path: string, ip: string, userId: string | undefined): Limit[] {
    const limits: Limit[] = [{ policy: 'ip', key: `rl:ip:${ip}`, limit: this.env.RATE_LIMIT_PER_IP, windowMs: this.windowMs }];
    if (userId) limits.push(this.userLimit(userId));
    this.routeRules.forEach((rule, index) => {
      if (ruleMatches(rule, method, path)) limits.push({ policy: rule.policy, key: `rl:route${index}:ip:${ip}`, limit: rule.limit, windowMs: rule.windowMs });
    });
    return limits;
  }

  private userLimit(userId: string): Limit {
    return { policy: 'user', key: `rl:user:${userId}`, limit: this.env.RATE_LIMIT_PER_USER, windowMs: this.windowMs };
  }

  private failedOpen(error: Error, requests: number): void {
    this.count('none', 'fail_open', requests);
    const now = Date.now();
    // One line per ten seconds is enough to notice; a line per request would flood the logs.
    if (now - this.lastFailureLog > 10_000) {
      this.lastFailureLog = now;
      this.logger.warn(`rate limits not enforced, Redis unavailable: ${error.message}`);
    }
  }
}
