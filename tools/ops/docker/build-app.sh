#!/bin/sh
# Builds one app and writes a self-contained production copy of it (compiled code, workspace
# libraries' dist, production dependencies only) to OUT. The Dockerfile's build stage runs exactly
# this script, and tools/ops/test/image-build.spec.ts runs it too, then boots the output.
# Usage: build-app.sh <app> <out-dir>
set -eu
APP="$1"
OUT="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

pnpm exec nx run "$APP:build" --outputStyle=static
rm -rf "$OUT"
pnpm --filter "@dentalos/$APP" --prod --pnpmfile "$HERE/deploy.pnpmfile.cjs" --config.confirmModulesPurge=false deploy "$OUT" >/dev/null
# Sources stay (source maps point at them); tests and build configuration never run in the image.
find "$OUT" -path "$OUT/node_modules/.pnpm" -prune -o \
  \( -name test -o -name 'tsconfig*.json' -o -name vitest.config.ts -o -name project.json -o -name '*.spec.ts' -o -name .tsbuildinfo \) \
  -exec rm -rf {} + 2>/dev/null || true
for lib in "$OUT"/node_modules/@dentalos/*; do
  [ -d "$lib" ] || continue
  real="$(cd "$lib" && pwd -P)"
  case "$real" in "$(cd "$OUT" && pwd -P)"/*) ;; *) continue ;; esac # never touch the workspace
  rm -rf "$real/test" "$real/vitest.config.ts" "$real/project.json" "$real"/tsconfig*.json "$real/dist/.tsbuildinfo"
done
cp "$HERE/docker-entrypoint.sh" "$HERE/healthcheck.mjs" "$OUT/"
