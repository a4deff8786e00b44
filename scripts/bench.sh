#!/usr/bin/env bash
# Runs every benchmark (not part of the tests) and writes bench/RESULTS.md with the machine, date
# and commit. Benchmarks print `BENCH {json}` lines for the summary table; the rest of their
# output is kept per benchmark. Usage: bench.sh [name-filter]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export SWC_NODE_PROJECT="$ROOT/tsconfig.base.json"
FILTER="${1:-}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT" "$ROOT/bench"

bash scripts/tools.sh test
bash scripts/infra.sh up
bash scripts/secrets.sh
set -a
# shellcheck disable=SC1091
. .data/secrets.env
set +a
pnpm exec nx run-many -t build --outputStyle=static >/dev/null

mapfile -t BENCHES < <(ls tools/bench/src/*.bench.ts libs/*/bench/*.bench.ts apps/*/bench/*.bench.ts tools/e2e/bench/*.bench.ts 2>/dev/null | grep -- "$FILTER" || true)
: >"$OUT/summary.jsonl"
for bench in "${BENCHES[@]}"; do
  name="$(echo "$bench" | sed 's#/#_#g; s#\.bench\.ts$##')"
  echo "[bench] $bench"
  if node --conditions=@dentalos/source --import @swc-node/register/esm-register "$bench" >"$OUT/$name.log" 2>&1; then
    status=ok
  else
    status=failed
  fi
  grep '^BENCH ' "$OUT/$name.log" | sed 's/^BENCH //' | while read -r line; do
    echo "{\"bench\":\"$bench\",\"status\":\"$status\",\"result\":$line}" >>"$OUT/summary.jsonl"
  done
  [ "$status" = ok ] || echo "{\"bench\":\"$bench\",\"status\":\"failed\",\"result\":{\"name\":\"(run failed; see bench/out/$name.log)\",\"value\":0,\"unit\":\"\"}}" >>"$OUT/summary.jsonl"
done

node - "$OUT" <<'JS'
const fs = require('node:fs');
const os = require('node:os');
const { execSync } = require('node:child_process');
const out = process.argv[2];
const rows = fs.readFileSync(`${out}/summary.jsonl`, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
const commit = execSync('git rev-parse --short HEAD').toString().trim();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  '# Benchmark results',
  '',
  `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  `Date: ${new Date().toISOString()}  Commit: ${commit}`,
  '',
  'Produced by `make bench` (scripts/bench.sh). Figures from a shared 2-core machine: compare ratios measured in the same run rather than absolute numbers.',
  '',
  '| benchmark | figure | value | unit | target |',
  '|---|---|---|---|---|',
  ...rows.map(({ bench, result }) => `| ${bench} | ${result.name} | ${result.value} | ${result.unit ?? ''} | ${result.target ?? ''} |`),
  '',
];
fs.writeFileSync('bench/RESULTS.md', lines.join('\n'));
console.log(`[bench] wrote bench/RESULTS.md (${rows.length} figures)`);
JS
