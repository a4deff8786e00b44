#!/usr/bin/env bash
# Installs what the stack and the tests need, once; every step is skipped when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FERRETDB_VERSION="v1.24.2"
export PATH="$ROOT/.tools/bin:/usr/local/go/bin:$HOME/go/bin:$PATH"

log() { printf '\033[1;34m[tools]\033[0m %s\n' "$*"; }

apt_install() {
  local missing=()
  for pair in "$@"; do
    local bin="${pair%%:*}" pkg="${pair##*:}"
    command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_pnpm() {
  command -v pnpm >/dev/null 2>&1 && return 0
  log "installing pnpm 9 from the npm registry"
  npm install -g pnpm@9 >/dev/null
}

# FerretDB is built from its Go module with our patch (scripts/ferretdb.patch), which fixes two things:
# v1 applies `update`/`findAndModify` as read, change in memory, write back, so concurrent updates of
# one document could lose each other (the patch serializes them, giving MongoDB's single-document
# atomicity that the services rely on); and its SQLite backend never used the `_id` index, so every
# lookup, update and delete by `_id` scanned the whole collection. (`go install …@v1.24.2` also fails here: the proxy refuses
# the module's version list, while downloading the version itself works.)
ensure_ferretdb() {
  local bin="$ROOT/.tools/bin/ferretdb" patch="$ROOT/scripts/ferretdb.patch"
  local stamp="$ROOT/.tools/bin/ferretdb.build" want
  want="$FERRETDB_VERSION $(sha256sum "$patch" | cut -c1-16)"
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || apt_install go:golang-go
  command -v patch >/dev/null 2>&1 || apt_install patch:patch
  mkdir -p "$ROOT/.tools/bin"
  log "building FerretDB $FERRETDB_VERSION (SQLite backend, atomic single-document updates, _id index used)"
  local work src
  work="$(mktemp -d)"
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1)
  src="$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && patch -p1 --quiet <"$patch" && go build -tags ferretdb_no_postgresql -o "$bin.new" ./cmd/ferretdb)
  mv "$bin.new" "$bin"
  echo "$want" >"$stamp"
  rm -rf "$work"
}

ensure_packages() {
  cd "$ROOT"
  log "pnpm install"
  CI=true pnpm install --frozen-lockfile --reporter=silent
}

main() {
  local want="${1:-all}"
  if [ "$want" = ferretdb ]; then ensure_ferretdb; return; fi
  apt_install redis-server:redis-server
  ensure_pnpm
  ensure_ferretdb
  ensure_packages
  if [ "$want" = "all" ] || [ "$want" = "test" ]; then
    apt_install promtool:prometheus nginx:nginx wrk:wrk chromium:chromium
    bash "$ROOT/tools/ops/scripts/install-tools.sh"
  fi
}

main "$@"
