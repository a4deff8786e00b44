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
: >"$OUT/ran.txt"
for bench in "${BENCHES[@]}"; do
  name="$(echo "$bench" | sed 's#/#_#g; s#\.bench\.ts$##')"
  echo "[bench] $bench"
  if node --expose-gc --conditions=@dentalos/source --import @swc-node/register/esm-register "$bench" >"$OUT/$name.log" 2>&1; then
    status=ok
  else
    status=failed
  fi
  { grep '^BENCH ' "$OUT/$name.log" || true; } | sed 's/^BENCH //' | while read -r line; do
    echo "{\"bench\":\"$bench\",\"status\":\"$status\",\"result\":$line}" >>"$OUT/summary.jsonl"
  done
  echo "$bench" >>"$OUT/ran.txt"
  [ "$status" = ok ] || echo "{\"bench\":\"$bench\",\"status\":\"failed\",\"result\":{\"name\":\"(run failed; see bench/out/$name.log)\",\"value\":0,\"unit\":\"\"}}" >>"$OUT/summary.jsonl"
done

node - "$OUT" "$FILTER" <<'JS'
const fs = require('node:fs');
const os = require('node:os');
const { execSync } = require('node:child_process');
const out = process.argv[2];
const filter = process.argv[3];
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
  ...(filter ? ['', `Only the benchmarks matching \`${filter}\` ran (\`bash scripts/bench.sh '${filter}'\`).`] : []),
  '',
  '| benchmark | figure | value | unit | target |',
  '|---|---|---|---|---|',
  ...rows.map(({ bench, result }) => `| ${bench} | ${result.name} | ${result.value} | ${result.unit ?? ''} | ${result.target ?? ''} |`),
  '',
  '## What each benchmark printed',
  '',
];
// Benchmarks report in their own words too; keep their closing lines (figures, ratios, verdicts).
for (const bench of fs.readFileSync(`${out}/ran.txt`, 'utf8').trim().split('\n').filter(Boolean)) {
  const log = fs.readFileSync(`${out}/${bench.replace(/\//g, '_').replace(/\.bench\.ts$/, '')}.log`, 'utf8');
  const kept = log
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('BENCH ') && !line.startsWith('{'))
    .slice(-25);
  lines.push(`### ${bench}`, '', '```', ...kept, '```', '');
}
fs.writeFileSync('bench/RESULTS.md', lines.join('\n'));
console.log(`[bench] wrote bench/RESULTS.md (${rows.length} figures)`);
JS
