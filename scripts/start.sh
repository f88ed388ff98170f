#!/usr/bin/env bash
# npm start: install dependencies on a fresh clone, then run a local fleet (tessera dev).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec node bin/tessera.js dev "$@"
