/* global process, fetch, AbortSignal */
// Container HEALTHCHECK: the liveness probe over loopback (a dependency outage must not get a
// healthy process restarted). The image has no curl; node is there.
const DEFAULT_PORTS = { gateway: 3000, user: 3002, notification: 3003, enterprise: 3017 };
const port = process.env.PORT ?? DEFAULT_PORTS[process.env.APP ?? ''];
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/liveness`, { signal: AbortSignal.timeout(3000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
