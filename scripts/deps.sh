#!/usr/bin/env bash
# deps.sh: checks that every tool and file Tessera's suite, benchmarks and examples run for real
# is present, and installs the Debian package that provides a missing one (as root, with apt).
# Not root: prints the packages and the command, and fails. Sourced by scripts/test.sh; also
# runnable by hand.
#
#   scripts/deps.sh [test|python|ddp|etcd|sandbox]...   (default: test = everything)
#
# Each need is "check @@ package @@ what it is for". Checks are shell conditions on one line.
set -euo pipefail

NEEDS_ETCD=(
  '[ -x /usr/bin/etcd ] || command -v etcd @@ etcd-server @@ etcd, the store the integration tests run against'
)
NEEDS_SANDBOX=(
  'command -v bwrap @@ bubblewrap @@ bubblewrap, the sandbox agents run tenants'"'"' shards in'
)
NEEDS_PROMETHEUS=(
  'command -v promtool @@ prometheus @@ promtool, which checks /metrics pages and deploy/prometheus'
)
NEEDS_PYTHON=(
  '[ -x /usr/bin/python3 ] @@ python3 @@ /usr/bin/python3, the interpreter of Debian'"'"'s Python packages'
  'command -v protoc @@ protobuf-compiler @@ protoc 3.21, for the Python client stubs'
  'command -v grpc_python_plugin @@ protobuf-compiler-grpc @@ grpc_python_plugin, for the Python gRPC stubs'
  '[ -f /usr/include/google/protobuf/timestamp.proto ] @@ libprotobuf-dev @@ google/protobuf/*.proto, the well-known types the protos import'
  '/usr/bin/python3 -c "import grpc" @@ python3-grpcio @@ grpcio for /usr/bin/python3 (the Python client)'
  '/usr/bin/python3 -c "import google.protobuf" @@ python3-protobuf @@ protobuf for /usr/bin/python3 (the Python stubs)'
)
NEEDS_TORCH=(
  '/usr/bin/python3 -c "import torch, numpy, torch.distributed as d; assert d.is_gloo_available()" @@ python3-torch @@ PyTorch with gloo for /usr/bin/python3 (DDP example, challenge helper)'
)

needs=()
for group in "${@:-test}"; do
  case "$group" in
    test) needs+=("${NEEDS_ETCD[@]}" "${NEEDS_SANDBOX[@]}" "${NEEDS_PROMETHEUS[@]}" "${NEEDS_PYTHON[@]}" "${NEEDS_TORCH[@]}") ;;
    etcd) needs+=("${NEEDS_ETCD[@]}") ;;
    sandbox) needs+=("${NEEDS_SANDBOX[@]}") ;;
    python) needs+=("${NEEDS_PYTHON[@]}") ;;
    ddp) needs+=("${NEEDS_PYTHON[@]}" "${NEEDS_TORCH[@]}") ;;
    *) echo "deps.sh: unknown group '$group' (expected test, python, ddp, etcd or sandbox)" >&2; exit 2 ;;
  esac
done

# missing_needs prints "package @@ what" for each need whose check fails.
missing_needs() {
  local need check rest
  for need in "${needs[@]}"; do
    check="${need%% @@ *}"
    rest="${need#* @@ }"
    bash -c "$check" >/dev/null 2>&1 || echo "$rest"
  done
}

mapfile -t missing < <(missing_needs)
[ ${#missing[@]} -eq 0 ] && exit 0

packages=()
for m in "${missing[@]}"; do
  echo "missing: ${m#* @@ } (Debian package ${m%% @@ *})" >&2
  packages+=("${m%% @@ *}")
done
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
fi
echo "installing: ${packages[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# A package that installed but did not provide what was checked is named, not ignored.
mapfile -t still < <(missing_needs)
if [ ${#still[@]} -gt 0 ]; then
  for m in "${still[@]}"; do echo "still missing after install: ${m#* @@ } (Debian package ${m%% @@ *})" >&2; done
  exit 1
fi
echo "installed: ${packages[*]}" >&2
