#!/usr/bin/env bash
# Local infrastructure on loopback: FerretDB (MongoDB wire protocol over SQLite) and Redis.
# Data lives under .data/ (git-ignored). SQLite runs in WAL mode with synchronous=NORMAL: an
# acknowledged write survives the server process dying; only an OS crash may lose the last ones,
# which suits a local and test server and makes inserts about five times faster.
# Usage: infra.sh up|down|status
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
MONGO_PORT="${FERRETDB_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
SMTP_PORT="${MAILDEV_SMTP_PORT:-1025}"
MAILDEV_WEB_PORT="${MAILDEV_WEB_PORT:-1080}"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do listening "$1" && return 0; sleep 0.1; done
  echo "[infra] $2 did not start on port $1; see $DATA/$2.log" >&2
  return 1
}

up() {
  mkdir -p "$DATA/ferretdb" "$DATA/redis"
  if ! listening "$MONGO_PORT"; then
    [ -x "$ROOT/.tools/bin/ferretdb" ] || bash "$ROOT/scripts/tools.sh" stack
    nohup "$ROOT/.tools/bin/ferretdb" --handler=sqlite --sqlite-url="file:$DATA/ferretdb/?_pragma=synchronous(normal)" --state-dir="$DATA/ferretdb" \
      --listen-addr="127.0.0.1:$MONGO_PORT" --debug-addr=- --telemetry=disable --log-level=warn \
      >"$DATA/ferretdb.log" 2>&1 &
    echo $! >"$DATA/ferretdb.pid"
    wait_port "$MONGO_PORT" ferretdb
  fi
  if ! listening "$REDIS_PORT"; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DATA/redis" --save '' --appendonly yes \
      --daemonize yes --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log"
    wait_port "$REDIS_PORT" redis
  fi
  if ! listening "$SMTP_PORT"; then
    mkdir -p "$DATA/maildev"
    nohup "$ROOT/node_modules/.bin/maildev" --smtp "$SMTP_PORT" --web "$MAILDEV_WEB_PORT" --ip 127.0.0.1 --web-ip 127.0.0.1 \
      --mail-directory "$DATA/maildev" >"$DATA/maildev.log" 2>&1 &
    echo $! >"$DATA/maildev.pid"
    wait_port "$SMTP_PORT" maildev
  fi
  echo "[infra] FerretDB mongodb://127.0.0.1:$MONGO_PORT  Redis redis://127.0.0.1:$REDIS_PORT  SMTP (MailDev) smtp://127.0.0.1:$SMTP_PORT, mail UI http://127.0.0.1:$MAILDEV_WEB_PORT"
}

stop_pid() {
  local file="$DATA/$1.pid"
  [ -f "$file" ] || return 0
  local pid; pid="$(cat "$file")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

down() {
  stop_pid maildev
  stop_pid ferretdb
  stop_pid redis
  echo "[infra] stopped"
}

status() {
  listening "$MONGO_PORT" && echo "ferretdb: up ($MONGO_PORT)" || echo "ferretdb: down"
  listening "$REDIS_PORT" && echo "redis: up ($REDIS_PORT)" || echo "redis: down"
  listening "$SMTP_PORT" && echo "maildev: up ($SMTP_PORT, web $MAILDEV_WEB_PORT)" || echo "maildev: down"
}

"${1:-status}"
