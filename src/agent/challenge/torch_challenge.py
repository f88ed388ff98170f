"""Tessera's compute-challenge helper: multiplies the challenge matrices on a GPU with PyTorch.

The agent starts it once (when the worker claims GPUs and PyTorch sees CUDA) and keeps it warm,
so a challenge times the multiplication, not Python's start-up. One JSON object per line on
stdin, one answer per line on stdout:

  {"op": "probe"}                                  -> {"torch": "2.x", "cuda": true, "devices": 1}
  {"op": "challenge", "seed": hex, "n": 4096, "precision": "fp32", "device": "cuda:0", "memory_mib": 1024}
                                                   -> {"root": hex, "hashes": [hex...], "compute_ms": 3.1, ...}
  {"op": "rows", "rows": [5, 77]}                  -> {"rows": [[...], [...]]}

The matrices are the ones src/common/challenge.ts derives: entry i of A (or B) is
fmix32(fmix32(((i * 0x9E3779B9) ^ k0) + k1) ^ k2) % 17 - 8, with k0..k2 from SHA-256(seed ‖ "A").
"""
import hashlib
import json
import sys
import time

import numpy as np
import torch

MASK = np.uint64(0xFFFFFFFF)


def fmix32(h):
    h = h ^ (h >> np.uint64(16))
    h = (h * np.uint64(0x85EBCA6B)) & MASK
    h = h ^ (h >> np.uint64(13))
    h = (h * np.uint64(0xC2B2AE35)) & MASK
    return h ^ (h >> np.uint64(16))


def matrix(seed, which, n):
    digest = hashlib.sha256(seed + which.encode()).digest()
    k0, k1, k2 = (np.uint64(int.from_bytes(digest[i:i + 4], "little")) for i in (0, 4, 8))
    i = np.arange(n * n, dtype=np.uint64)
    x = ((i * np.uint64(0x9E3779B9)) & MASK) ^ k0
    x = fmix32((x + k1) & MASK)
    x = fmix32(x ^ k2)
    return ((x % np.uint64(17)).astype(np.int64) - 8).reshape(n, n)


def main():
    product = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        if op == "probe":
            answer = {"torch": torch.__version__, "cuda": torch.cuda.is_available(), "devices": torch.cuda.device_count() if torch.cuda.is_available() else 0}
        elif op == "challenge":
            seed = bytes.fromhex(request["seed"])
            n = int(request["n"])
            dtype = torch.float32 if request["precision"] == "fp32" else torch.float64
            device = torch.device(request["device"])
            a = torch.from_numpy(matrix(seed, "A", n)).to(device=device, dtype=dtype)
            b = torch.from_numpy(matrix(seed, "B", n)).to(device=device, dtype=dtype)
            memory_mib, memory_error = 0, ""
            if request.get("memory_mib"):
                try:
                    block = torch.empty(int(request["memory_mib"]) * 1024 * 1024, dtype=torch.uint8, device=device)
                    block.fill_(0xA5)
                    if int(block[:: 4096].sum().item()) != 0xA5 * block[:: 4096].numel():
                        memory_error = "device memory did not hold what was written"
                    memory_mib = int(request["memory_mib"])
                    del block
                except RuntimeError as err:
                    memory_error = str(err).splitlines()[0]
            if device.type == "cuda":
                torch.backends.cuda.matmul.allow_tf32 = False
                torch.cuda.synchronize(device)
            start = time.perf_counter()
            c = a @ b
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            compute_ms = (time.perf_counter() - start) * 1000
            product = c.cpu().numpy()
            hashes = [hashlib.sha256(row.tobytes()).digest() for row in product]
            root = hashlib.sha256(b"".join(hashes)).hexdigest()
            answer = {"root": root, "hashes": [h.hex() for h in hashes], "compute_ms": compute_ms, "device": f"{device} (torch {torch.__version__})", "memory_checked_mib": memory_mib, "memory_error": memory_error}
        elif op == "rows":
            answer = {"rows": [product[i].astype(np.float64).tolist() for i in request["rows"]]}
        else:
            answer = {"error": f"unknown op {op}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
