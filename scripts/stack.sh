#!/usr/bin/env bash
# The whole stack on this host: infrastructure + the four services under pm2.
# Usage: stack.sh up|down|status
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PM2_HOME="$ROOT/.data/pm2"
export PATH="$ROOT/.tools/bin:$PATH"
PM2="$ROOT/node_modules/.bin/pm2"
SERVICES=("gateway:3000" "user:3002" "notification:3003" "enterprise:3017")

wait_ready() {
  local name="$1" port="$2"
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/readiness")" = 200 ] && return 0
    sleep 0.5
  done
  echo "[stack] $name is not ready on port $port; logs: .data/logs/$name.*.log" >&2
  return 1
}

up() {
  bash scripts/tools.sh stack
  echo "[stack] building"
  pnpm exec nx run-many -t build --outputStyle=static >/dev/null
  bash scripts/infra.sh up
  bash scripts/secrets.sh
  set -a
  # shellcheck disable=SC1091
  . .data/secrets.env
  set +a
  mkdir -p .data/logs
  "$PM2" startOrReload ecosystem.config.js --update-env >/dev/null
  for entry in "${SERVICES[@]}"; do wait_ready "${entry%%:*}" "${entry##*:}"; done
  cat <<TXT

DentalOS is up (all readiness probes green):
  gateway       http://127.0.0.1:3000   Swagger UI http://127.0.0.1:3000/api-docs
  user          http://127.0.0.1:3002   http://127.0.0.1:3002/api-docs
  notification  http://127.0.0.1:3003   http://127.0.0.1:3003/api-docs
  enterprise    http://127.0.0.1:3017   http://127.0.0.1:3017/api-docs
  metrics       http://127.0.0.1:<port>/metrics on each service
  mail (MailDev) http://127.0.0.1:1080
Stop everything with: make down
TXT
}

down() {
  if [ -x "$PM2" ]; then
    "$PM2" delete ecosystem.config.js >/dev/null 2>&1 || true
    "$PM2" kill >/dev/null 2>&1 || true
  fi
  bash scripts/infra.sh down
}

status() {
  [ -x "$PM2" ] && "$PM2" ls
  bash scripts/infra.sh status
}

"${1:-status}"
