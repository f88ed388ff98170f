"""Tessera's compute-challenge helper: one warm process per GPU, computing challenges with PyTorch.

The agent starts one helper per claimed GPU with CUDA_DEVICE_ORDER=PCI_BUS_ID and
CUDA_VISIBLE_DEVICES=<that GPU's UUID>, so "cuda:0" here is exactly the device the challenge
names, whatever order CUDA would enumerate in. It warms up once (CUDA context, cuBLAS handles),
so a challenge times the work, not start-up. One JSON object per line on stdin, one answer per
line on stdout:

  {"op": "probe"}                    -> {"torch": "2.x", "cuda": true, "device": "NVIDIA H200"}
  {"op": "warmup", "device": "cuda"} -> {"ok": true, "ms": 812.0}
  {"op": "challenge", "id": "c-1", "seed": hex, "inner": 1024, "tile_rows": 64, "tile_cols": 2048,
   "row_tiles": 4000, "col_tiles": 32, "leaf_bands": 16, "deadline_ms": 1500, "device": "cuda"}
                                     -> {"root": hex, "compute_ms": 612.3, "device": "..."}
                                        or {"error": "...", "kind": "deadline"}
  {"op": "tile", "id": "c-1", "row_tile": 5, "col_tile": 7}
                                     -> {"values": base64 int16 LE, "leaf": base64, "proof": [base64...]}
  {"op": "forget", "id": "c-1"}      -> {"ok": true}

The arithmetic is src/common/challenge.ts's, entry for entry: A (M×K) and B (K×N) with entries
h mod 3 - 1 where h = fmix32(fmix32(fmix32(row*0x9E3779B9 + k0) ^ k1 + col*0x85EBCA77) ^ k2),
keys from SHA-256(seed || "A"/"B"). With K <= 2048 every partial sum is an integer of magnitude
<= 2048, exact in fp16 on tensor cores (and in fp32 on a CPU, where PyTorch has no fast fp16).
"""
import base64
import hashlib
import json
import sys
import time

import torch

M32 = 0xFFFFFFFF
#: Rows of C computed at once: keeps the fp16 block of C near 256 MiB at N = 65536.
CHUNK_BYTES = 256 * 1024 * 1024


def fmix32(h):
    h = h ^ (h >> 16)
    h = (h * 0x85EBCA6B) & M32
    h = h ^ (h >> 13)
    h = (h * 0xC2B2AE35) & M32
    return h ^ (h >> 16)


def matrix_key(seed, which):
    digest = hashlib.sha256(seed + which.encode()).digest()
    return tuple(int.from_bytes(digest[i:i + 4], "little") for i in (0, 4, 8))


def derive(key, row0, rows, col0, cols, device, dtype):
    """Rows [row0, row0+rows) x cols [col0, col0+cols) of a derived matrix, on the device."""
    r = torch.arange(row0, row0 + rows, dtype=torch.int64, device=device).unsqueeze(1)
    c = torch.arange(col0, col0 + cols, dtype=torch.int64, device=device).unsqueeze(0)
    h = fmix32((r * 0x9E3779B9 + key[0]) & M32)
    h = fmix32(((h ^ key[1]) + c * 0x85EBCA77) & M32)
    h = fmix32(h ^ key[2])
    return ((h % 3) - 1).to(dtype)


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def merkle_levels(leaves):
    levels = [[leaf_hash(x) for x in leaves]]
    while len(levels[-1]) > 1:
        level = levels[-1]
        nxt = []
        for i in range(0, len(level), 2):
            nxt.append(hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() if i + 1 < len(level) else level[i])
        levels.append(nxt)
    return levels


def merkle_proof(levels, index):
    proof = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        index >>= 1
    return proof


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class Held:
    """A computed challenge, kept until the scheduler has asked for its tiles."""

    def __init__(self, seed, shape, device, dtype, leaves, levels):
        self.seed, self.shape, self.device, self.dtype = seed, shape, device, dtype
        self.leaves, self.levels = leaves, levels

    def tile(self, p, q):
        s = self.shape
        a = derive(matrix_key(self.seed, "A"), p * s["tile_rows"], s["tile_rows"], 0, s["inner"], self.device, self.dtype)
        b = derive(matrix_key(self.seed, "B"), 0, s["inner"], q * s["tile_cols"], s["tile_cols"], self.device, self.dtype)
        values = (a @ b).to(torch.int16).cpu().numpy().astype("<i2").tobytes()
        j = p // s["leaf_bands"]
        return {"values": base64.b64encode(values).decode(), "leaf": base64.b64encode(self.leaves[j]).decode(), "proof": [base64.b64encode(x).decode() for x in merkle_proof(self.levels, j)]}


def compute(seed, s, device, deadline_at):
    """Computes every tile fingerprint of C = A·B and the Merkle tree over them."""
    dtype = torch.float16 if device.type == "cuda" else torch.float32
    K, R, W, gr, gc = s["inner"], s["tile_rows"], s["tile_cols"], s["row_tiles"], s["col_tiles"]
    N = W * gc
    key_a, key_b = matrix_key(seed, "A"), matrix_key(seed, "B")
    # B in column blocks, so the int64 temporaries stay small.
    step = max(W, (64 * 1024 * 1024 // (K * 8)) // W * W)
    b = torch.cat([derive(key_b, 0, K, c0, min(step, N - c0), device, dtype) for c0 in range(0, N, step)], dim=1)
    bands_per_chunk = max(1, CHUNK_BYTES // (R * N * 2))
    prints = []
    for p0 in range(0, gr, bands_per_chunk):
        if time.monotonic() > deadline_at:
            return None
        bands = min(bands_per_chunk, gr - p0)
        a = derive(key_a, p0 * R, bands * R, 0, K, device, dtype)
        c = (a @ b).view(bands, R, gc, W)
        prints.append(torch.stack([c.amax(dim=(1, 3)), c.amin(dim=(1, 3))], dim=-1).to(torch.int16))
        del a, c
    sync(device)
    data = torch.cat(prints).cpu().numpy().astype("<i2").tobytes()
    del b, prints
    leaf_bytes = s["leaf_bands"] * gc * 4
    leaves = [data[i:i + leaf_bytes] for i in range(0, len(data), leaf_bytes)]
    return dtype, leaves, merkle_levels(leaves)


def release(device):
    if device.type == "cuda":
        torch.cuda.empty_cache()


def main():
    held = {}
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        try:
            if op == "probe":
                cuda = torch.cuda.is_available() and torch.cuda.device_count() > 0
                answer = {"torch": torch.__version__, "cuda": cuda, "device": torch.cuda.get_device_name(0) if cuda else "cpu"}
            elif op == "warmup":
                device = torch.device(request.get("device", "cuda"))
                started = time.perf_counter()
                shape = {"inner": 256, "tile_rows": 16, "tile_cols": 256, "row_tiles": 8, "col_tiles": 4, "leaf_bands": 2}
                compute(b"warmup", shape, device, time.monotonic() + 600)
                sync(device)
                release(device)
                answer = {"ok": True, "ms": (time.perf_counter() - started) * 1000}
            elif op == "challenge":
                device = torch.device(request.get("device", "cuda"))
                shape = {k: int(request[k]) for k in ("inner", "tile_rows", "tile_cols", "row_tiles", "col_tiles", "leaf_bands")}
                seed = bytes.fromhex(request["seed"])
                started = time.perf_counter()
                out = compute(seed, shape, device, time.monotonic() + int(request["deadline_ms"]) / 1000)
                compute_ms = (time.perf_counter() - started) * 1000
                release(device)
                if out is None:
                    answer = {"error": f"gave up after {compute_ms:.0f} ms: past the deadline", "kind": "deadline"}
                else:
                    dtype, leaves, levels = out
                    held[request["id"]] = Held(seed, shape, device, dtype, leaves, levels)
                    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
                    answer = {"root": levels[-1][0].hex(), "compute_ms": compute_ms, "device": f"{device} {name} (torch {torch.__version__})"}
            elif op == "tile":
                answer = held[request["id"]].tile(int(request["row_tile"]), int(request["col_tile"]))
            elif op == "forget":
                held.pop(request["id"], None)
                answer = {"ok": True}
            else:
                answer = {"error": f"unknown op {op}", "kind": "helper-failed"}
        except Exception as err:  # noqa: BLE001 - one bad request must not stall later challenges
            answer = {"error": f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}", "kind": "helper-failed"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
