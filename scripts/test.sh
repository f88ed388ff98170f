#!/usr/bin/env bash
# npm test: the whole suite, with the real parts. Installs what it needs where it may:
# npm dependencies (npm ci) and, as root, Debian's etcd-server and prometheus (for promtool).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

# Debian packages the suite runs for real: etcd, promtool, protoc + the gRPC Python plugin,
# and /usr/bin/python3 with grpcio and PyTorch (for the Python client and the DDP gang).
missing=()
command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || missing+=(etcd-server)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v grpc_python_plugin >/dev/null 2>&1 || missing+=(protobuf-compiler-grpc)
/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 || missing+=(python3-grpcio python3-protobuf)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "npm test needs: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

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
