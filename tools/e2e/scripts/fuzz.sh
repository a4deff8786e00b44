#!/usr/bin/env bash
# Schemathesis from PyPI in a virtualenv of the workspace's own (.tools/venv, git-ignored),
# installed on first use; every argument goes to `st`.
#   tools/e2e/scripts/fuzz.sh run http://127.0.0.1:3000/api-docs/specs/user --url http://127.0.0.1:3000 ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
VENV="$ROOT/.tools/venv"
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4,<5' >&2
fi
exec "$VENV/bin/st" "$@"
