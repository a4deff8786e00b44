import { Injectable } from '@nestjs/common';
import { ConfigError } from '@dentalos/core';
import { GatewayEnv } from '../config/gateway.env.js';

export interface UpstreamTarget {
  name: string;
  /** Origin only (`http://host:port`): paths are forwarded unchanged. */
  origin: string;
}

function pairs(entries: string[]): [string, string][] {
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
}

/**
 * Which upstream owns which path, read once from config. A route naming an unknown upstream stops
 * start-up, so a typo cannot silently turn a whole service into 404s.
 */
@Injectable()
export class RouteTable {
  readonly upstreams: ReadonlyMap<string, UpstreamTarget>;
  /** First path segment after /api/v1 → upstream name. */
  readonly segments: ReadonlyMap<string, string>;
  /** Exact paths outside /api/v1 → upstream name. */
  readonly exactPaths: ReadonlyMap<string, string>;

  constructor(env: GatewayEnv) {
    const upstreams = new Map<string, UpstreamTarget>();
    for (const [name, url] of pairs(env.GATEWAY_UPSTREAMS)) upstreams.set(name, { name, origin: new URL(url).origin });
    this.upstreams = upstreams;
    const problems: string[] = [];
    const resolve = (variable: string, entries: string[]) => {
      const table = new Map<string, string>();
      for (const [key, upstream] of pairs(entries)) {
        if (!upstreams.has(upstream)) problems.push(`${variable}: '${key}' points at unknown upstream '${upstream}'`);
        else table.set(key, upstream);
      }
      return table;
    };
    this.segments = resolve('GATEWAY_ROUTES', env.GATEWAY_ROUTES);
    this.exactPaths = resolve('GATEWAY_EXACT_ROUTES', env.GATEWAY_EXACT_ROUTES);
    if (problems.length > 0) throw new ConfigError(problems);
  }

  upstream(name: string): UpstreamTarget {
    return this.upstreams.get(name)!;
  }
}
