#!/usr/bin/env bash
# Installs the manifest tools into .tools/bin, once: kustomize (the same renderer `kubectl
# kustomize` embeds), kube-linter and the offline strict schema validator (tools/ops/k8s-validate).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$ROOT/.tools/bin"
KUSTOMIZE_VERSION="v5.8.2"
KUBE_LINTER_VERSION="v0.8.3"
export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
mkdir -p "$BIN"

log() { printf '\033[1;34m[ops-tools]\033[0m %s\n' "$*"; }

# `go install pkg@version` needs the module proxy to serve the module's vanity path, which it may
# refuse (it does for golang.stackrox.io); then the same tagged source is downloaded by its
# repository path and built from its own directory, where its go.mod and go.sum pin every
# dependency exactly as `go install` would.
go_install() {
  local module="$1" pkg="$2" version="$3" bin="$4" mirror="${5:-$1}" ldflags="${6:-}"
  if GOBIN="$BIN" go install -ldflags "$ldflags" "$module/$pkg@$version" 2>/dev/null && [ -x "$BIN/$bin" ]; then return 0; fi
  local work src
  work="$(mktemp -d)"
  (cd "$work" && go mod init ops-tools-build >/dev/null 2>&1)
  src="$(cd "$work" && go mod download -json "$mirror@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  (cd "$work/src" && go build -ldflags "$ldflags" -o "$BIN/$bin" "./$pkg")
  rm -rf "$work"
}

if ! [ -x "$BIN/kustomize" ] || ! "$BIN/kustomize" version 2>/dev/null | grep -q "$KUSTOMIZE_VERSION"; then
  log "building kustomize $KUSTOMIZE_VERSION"
  go_install sigs.k8s.io/kustomize/kustomize/v5 . "$KUSTOMIZE_VERSION" kustomize
fi
if ! [ -x "$BIN/kube-linter" ] || ! "$BIN/kube-linter" version 2>/dev/null | grep -qx "$KUBE_LINTER_VERSION"; then
  log "building kube-linter $KUBE_LINTER_VERSION"
  go_install golang.stackrox.io/kube-linter cmd/kube-linter "$KUBE_LINTER_VERSION" kube-linter github.com/stackrox/kube-linter \
    "-X golang.stackrox.io/kube-linter/internal/version.version=$KUBE_LINTER_VERSION"
fi
# The validator is ours: rebuilt when its sources change (go build caches the rest).
log "building k8s-validate"
(cd "$ROOT/tools/ops/k8s-validate" && go build -o "$BIN/k8s-validate" .)
