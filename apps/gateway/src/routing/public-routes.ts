import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env.js';

interface Rule {
  method: string;
  path: string;
  prefix: boolean;
}

/** Parses `METHOD /path` entries; a trailing `*` makes the entry match the whole subtree. */
export function parseRouteRule(entry: string): Rule {
  const [method, path] = entry.split(' ') as [string, string];
  const prefix = path.endsWith('*');
  return { method, path: prefix ? path.slice(0, -1) : path, prefix };
}

export function ruleMatches(rule: Rule, method: string, path: string): boolean {
  if (rule.method !== '*' && rule.method !== method) return false;
  return rule.prefix ? path.startsWith(rule.path) : path === rule.path;
}

/** The allow-list of routes the gateway proxies without a token (sign-up, sign-in, keys...). */
@Injectable()
export class PublicRoutes {
  private readonly rules: Rule[];

  constructor(env: GatewayEnv) {
    this.rules = env.GATEWAY_PUBLIC_ROUTES.map(parseRouteRule);
  }

  isPublic(method: string, path: string): boolean {
    // CORS preflights carry no credentials by design.
    if (method === 'OPTIONS') return true;
    return this.rules.some((rule) => ruleMatches(rule, method, path));
  }
}
