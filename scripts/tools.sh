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

# `go install …@v1.24.2` needs the module's version list, which the proxy may refuse; building
# the downloaded module works the same and stamps the version FerretDB expects.
ensure_ferretdb() {
  local bin="$ROOT/.tools/bin/ferretdb"
  if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$FERRETDB_VERSION"; then return 0; fi
  command -v go >/dev/null 2>&1 || apt_install go:golang-go
  mkdir -p "$ROOT/.tools/bin"
  log "building FerretDB $FERRETDB_VERSION (SQLite backend)"
  if GOBIN="$ROOT/.tools/bin" go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION" 2>/dev/null \
    && "$bin" --version >/dev/null 2>&1; then return 0; fi
  local work src
  work="$(mktemp -d)"
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1)
  src="$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && go build -tags ferretdb_no_postgresql -o "$bin" ./cmd/ferretdb)
  rm -rf "$work"
}

ensure_packages() {
  cd "$ROOT"
  log "pnpm install"
  CI=true pnpm install --frozen-lockfile --reporter=silent
}

main() {
  local want="${1:-all}"
  apt_install redis-server:redis-server
  ensure_pnpm
  ensure_ferretdb
  ensure_packages
  if [ "$want" = "all" ] || [ "$want" = "test" ]; then
    apt_install promtool:prometheus nginx:nginx wrk:wrk chromium:chromium
  fi
}

main "$@"
