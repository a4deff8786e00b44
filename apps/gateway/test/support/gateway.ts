import { type TestApp, type TestTokenIssuer, startTestApp, testKeyPrefix } from '@dentalos/testing';
import { AppModule } from '../../src/app.module.js';
import { appOptions } from '../../src/app.options.js';
import type { GatewayEnv } from '../../src/config/gateway.env.js';
import type { FakeUpstream } from './fake-upstream.js';

/**
 * The real gateway in front of fake upstreams: each upstream `x` owns the segments `x` and
 * `x-things` (and `auth` belongs to the first one, like the user service).
 */
export function gatewayEnv(upstreams: FakeUpstream[], issuer: TestTokenIssuer, env: Record<string, string> = {}): Record<string, string> {
  const [first] = upstreams;
  return {
    ...issuer.env,
    LOG_LEVEL: 'fatal',
    REDIS_KEY_PREFIX: testKeyPrefix('gateway'),
    GATEWAY_UPSTREAMS: upstreams.map((upstream) => `${upstream.name}=${upstream.url}`).join(','),
    GATEWAY_ROUTES: ['auth', ...upstreams.flatMap((upstream) => [upstream.name, `${upstream.name}-things`])]
      .map((segment) => `${segment}=${segment === 'auth' ? first!.name : segment.replace(/-things$/, '')}`)
      .join(','),
    GATEWAY_EXACT_ROUTES: `/.well-known/jwks.json=${first!.name}`,
    ...env,
  };
}

export function startGateway(upstreams: FakeUpstream[], issuer: TestTokenIssuer, env: Record<string, string> = {}): Promise<TestApp<GatewayEnv>> {
  return startTestApp(AppModule, appOptions, gatewayEnv(upstreams, issuer, env));
}
