#!/usr/bin/env bash
# gpu-check.sh: run Tessera's compute challenge on this machine's first NVIDIA GPU (see
# scripts/gpu-check.py). Needs only Python with PyTorch and CUDA; writes gpu-check.json to $OUT
# (or --out DIR) and exits non-zero when the honest margin is under 2x, the CPU cheat is under
# 5x over the limit, or a revealed tile does not check out.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
"$python" -c 'import torch, numpy' 2>/dev/null || { echo "gpu-check: $python has no PyTorch/numpy (set PYTHON=...)" >&2; exit 2; }
nvidia-smi -L >&2 || true
exec "$python" scripts/gpu-check.py "$@"
