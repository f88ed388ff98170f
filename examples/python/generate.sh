#!/usr/bin/env bash
# Generates Python stubs for Tessera's API from proto/ with Debian's protoc 3.21
# (protobuf-compiler) and grpc_python_plugin (protobuf-compiler-grpc).
# Usage: examples/python/generate.sh [OUT_DIR]   (default: examples/python/gen)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/gen}"
# protoc, grpc_python_plugin, the well-known protos and python3-grpcio: installs them as root.
bash "$root/scripts/deps.sh" python >&2
mkdir -p "$out"
protoc -I "$root/proto" --python_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  "$root"/proto/tessera/v1/*.proto
touch "$out/tessera/__init__.py" "$out/tessera/v1/__init__.py"
echo "$out"
