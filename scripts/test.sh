#!/usr/bin/env bash
# npm test: the whole suite, with the real parts. Installs what it needs where it may:
# npm dependencies (npm ci) and, as root, the Debian packages listed in scripts/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

# Debian packages the suite runs for real: etcd, promtool, protoc + the gRPC Python plugin + the
# well-known protos, and /usr/bin/python3 with grpcio and PyTorch (the Python client, the DDP
# gang, the challenge helper). deps.sh checks each tool and file and installs what is missing.
step "system packages (scripts/deps.sh)"
bash scripts/deps.sh test
# Under npm test nothing that needs those packages may skip itself: they are installed now.
export TESSERA_SUITE=full

step "buf lint (proto/)"
npx buf lint

step "generated types are current (src/gen matches proto/)"
gen_check="$(mktemp -d)"
trap 'rm -rf "$gen_check"' EXIT
node scripts/gen-types.mjs "$gen_check/gen" >/dev/null
if ! diff -r src/gen "$gen_check/gen" >/dev/null; then
  echo "src/gen is out of date with proto/: run npm run gen and commit" >&2
  diff -r src/gen "$gen_check/gen" | head -20 >&2
  exit 1
fi

step "typecheck"
npx tsc -p tsconfig.json --noEmit

step "eslint"
npx eslint .

step "vitest (unit, then integration against real etcd, gRPC and processes)"
report="$gen_check/vitest.json"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\nTests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
exit "$status"
