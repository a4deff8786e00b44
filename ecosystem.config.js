// pm2 runs the whole stack on one host (local runs, single-VM installs). In Kubernetes each pod
// runs one `node` process instead; no supervisor inside containers.
const path = require('node:path');

const LOGS = path.join(__dirname, '.data', 'logs');

/** Each service's shutdown: drain window + in-flight timeout; pm2 must wait longer than both. */
const SHUTDOWN_DRAIN_MS = 1000;
const SHUTDOWN_TIMEOUT_MS = 10000;

const service = (name, port) => ({
  name,
  script: `apps/${name}/dist/main.js`,
  cwd: __dirname,
  node_args: '--enable-source-maps',
  exec_mode: 'fork',
  instances: 1,
  wait_ready: true,
  listen_timeout: 15000,
  kill_timeout: SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS + 2000,
  max_memory_restart: '300M',
  autorestart: true,
  exp_backoff_restart_delay: 200,
  out_file: path.join(LOGS, `${name}.out.log`),
  error_file: path.join(LOGS, `${name}.err.log`),
  merge_logs: true,
  env: {
    PORT: String(port),
    SHUTDOWN_DRAIN_MS: String(SHUTDOWN_DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  },
});

module.exports = {
  apps: [service('user', 3002), service('notification', 3003), service('enterprise', 3017), service('gateway', 3000)],
};
