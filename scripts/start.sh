#!/usr/bin/env bash
# npm start: install dependencies on a fresh clone, then run a local fleet (tessera dev).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The shard sandbox needs bubblewrap; as root, install it (without it the dev fleet runs shards
# unsandboxed and says so).
if [ "$(id -u)" = 0 ] && ! command -v bwrap >/dev/null; then
  bash scripts/deps.sh sandbox || echo "start: could not install bubblewrap; shards will run unsandboxed" >&2
fi
exec node bin/tessera.js dev "$@"
