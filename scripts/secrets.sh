#!/usr/bin/env bash
# Secrets for the local stack, generated once per machine into .data/secrets.env (git-ignored).
# Production takes the same variables from a Kubernetes Secret; nothing secret is in the repo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILE="$ROOT/.data/secrets.env"
[ -s "$FILE" ] && exit 0
mkdir -p "$ROOT/.data"
umask 077
key_pem() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null; }
ACTIVE="$(key_pem)" NEXT="$(key_pem)" node -e '
const { randomUUID } = require("node:crypto");
const keys = [
  { kid: randomUUID(), privateKeyPem: process.env.ACTIVE, status: "active" },
  { kid: randomUUID(), privateKeyPem: process.env.NEXT, status: "next" },
];
process.stdout.write(`JWT_SIGNING_KEYS=${JSON.stringify(JSON.stringify(keys))}\n`);
' >"$FILE.tmp"
echo "EVENT_SEALING_KEY=$(openssl rand -base64 32)" >>"$FILE.tmp"
echo "WEBHOOK_SECRET=$(openssl rand -hex 24)" >>"$FILE.tmp"
mv "$FILE.tmp" "$FILE"
echo "[secrets] generated $FILE"
