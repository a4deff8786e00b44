// pm2 runs the whole stack on one host (local runs, single-VM installs): `make up`, or
//   pm2 startOrReload ecosystem.config.js --update-env
// In Kubernetes each pod runs one `node` process instead; no supervisor inside containers.
//
// Every app runs in cluster mode, even with one instance: `pm2 reload <app>` then starts the new
// worker, waits for its `ready` message (sent by bootstrap() after listen), and only then stops
// the old one, which drains (in-flight requests finish): no connection is refused and no request
// gets an error answer, and no kept-alive socket is reset under its request: the old worker
// closes a socket only after it has been quiet for a moment, so a request the cluster master
// handed over or a client just sent on a pooled socket is still served (libs/core,
// IdleConnectionCloser). Proved under load by tools/ops/test/pm2-reload.spec.ts and, through the
// gateway for every app, by tools/e2e/test/faults-pm2.spec.ts. In fork mode a reload is a
// stop-then-start and refuses connections in between. ESM entry points work in cluster mode on
// Node 20 and 22.
//
// One caveat of cluster mode: each worker keeps its own metrics registry, and a scrape of the
// shared port reaches one worker. With 2 instances, counters in Prometheus alternate between
// workers; use `rate()` per scrape target with care, or scrape each worker on its own port.
// Kubernetes (one process per pod, one target per pod) has no such caveat.
const path = require('node:path');

const LOGS = path.join(__dirname, '.data', 'logs');

/** Each service's shutdown: drain window + in-flight timeout; pm2 must wait longer than both. */
const SHUTDOWN_DRAIN_MS = 1000;
const SHUTDOWN_TIMEOUT_MS = 10000;

/**
 * @param {string} name app folder under apps/
 * @param {number} port the app's port
 * @param {number} instances workers behind the shared port
 * @param {string} maxMemory restart a worker above this RSS (a leak must not take the host down)
 */
const service = (name, port, instances, maxMemory) => ({
  name,
  // The one-file bundle `nx build` writes (tools/build/bundle-app.mjs). Source maps stay off, as
  // in the image: see tools/ops/docker/docker-entrypoint.sh.
  script: `apps/${name}/dist/bundle/main.js`,
  cwd: __dirname,
  exec_mode: 'cluster',
  instances,
  // Wait for process.send('ready') (after listen, once readiness passes or 10 s went by) before routing traffic
  // to the new worker and stopping the old one; give a cold start (index sync) time.
  wait_ready: true,
  listen_timeout: 30000,
  // SIGINT first (the app drains on SIGINT and SIGTERM alike); SIGKILL only after the app's own
  // drain + shutdown deadline plus margin, so pm2 never cuts a graceful shutdown short.
  kill_timeout: SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS + 2000,
  max_memory_restart: maxMemory,
  autorestart: true,
  // A crash loop backs off (200 ms doubling up to 15 s) instead of spinning.
  exp_backoff_restart_delay: 200,
  min_uptime: 10000,
  out_file: path.join(LOGS, `${name}.out.log`),
  error_file: path.join(LOGS, `${name}.err.log`),
  merge_logs: true,
  // Logs are pino JSON lines with their own timestamps.
  time: false,
  env: {
    NODE_ENV: 'production',
    // Idle memory: see the Dockerfile's MALLOC_MMAP_THRESHOLD_.
    MALLOC_MMAP_THRESHOLD_: '131072',
    PORT: String(port),
    SHUTDOWN_DRAIN_MS: String(SHUTDOWN_DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  },
});

module.exports = {
  apps: [
    // user hashes passwords (CPU-bound): two workers use both cores.
    service('user', 3002, 2, '400M'),
    service('notification', 3003, 1, '300M'),
    service('enterprise', 3017, 1, '300M'),
    // Every request crosses the gateway: two workers.
    service('gateway', 3000, 2, '300M'),
  ],
};
