#!/usr/bin/env bash
# Everything CI checks, from a fresh machine: tools, lint, types, build, then every test suite
# against real FerretDB and Redis. Ends with the line `tests: N passed, N failed`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash scripts/tools.sh test
started_infra=0
if ! bash scripts/infra.sh status | grep -q 'ferretdb: up' || ! bash scripts/infra.sh status | grep -q 'redis: up'; then
  started_infra=1
fi
bash scripts/infra.sh up
cleanup() { [ "$started_infra" = 1 ] && bash scripts/infra.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "[test] lint, typecheck, build"
pnpm exec nx run-many -t lint typecheck build --outputStyle=static
echo "[test] test suites"
pnpm exec vitest run
