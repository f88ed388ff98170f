#!/usr/bin/env python3
"""gpu-check: Tessera's compute challenge on a real GPU, with nothing but Python and PyTorch.

Run on a machine with an NVIDIA GPU (scripts/gpu-check.sh wraps it):

  python3 scripts/gpu-check.py [--out DIR] [--rtt-ms 1] [--family H200]

It shows, for the first GPU:
  1. the honest helper (src/agent/challenge/torch_challenge.py), started cold the way the agent
     starts it (CUDA_DEVICE_ORDER=PCI_BUS_ID, CUDA_VISIBLE_DEVICES=<uuid>), answers a challenge
     sized for its model by the table (src/scheduler/trust/gpu-throughput.json) within the limit,
     with the margin (target >= 2x), and its revealed tiles check out against an independent
     recomputation on the CPU (values, max/min fingerprint, Merkle path, Freivalds);
  2. this machine's CPU, claiming the same GPU, against the same limit (target: fails by >= 5x);
  3. the measured rate of the challenge kernel on this GPU: the table row to record.

Sizing here mirrors src/scheduler/trust/sizing.ts (planGpuChallenge); the unit tests keep the
TypeScript side honest, and this script prints the plan it used so the two can be compared.
"""
import argparse
import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPER = os.path.join(ROOT, "src", "agent", "challenge", "torch_challenge.py")
TABLE = os.path.join(ROOT, "src", "scheduler", "trust", "gpu-throughput.json")
sys.path.insert(0, os.path.dirname(HELPER))
import torch_challenge as tc  # noqa: E402

TOLERANCE, NOISE_FACTOR, MIN_COMPUTE_MS = 1.5, 2.5, 500
TILE = {"inner": 1024, "tile_rows": 64, "tile_cols": 2048, "max_col_tiles": 32, "leaf_bands": 16}


def achievable(table, family):
    for row in table["rows"]:
        if row["family"] == family:
            gen = table["generations"][row["generation"]]
            matmul = row.get("measuredMatmulTflops", row["datasheetTflops"] * gen["efficiency"])
            return float("%.4g" % (matmul * table["kernelShare"]["value"]))
    return None


def family_of(name, table):
    # Longest family name found in the GPU name ("NVIDIA H200" -> H200, "NVIDIA GeForce RTX 4090" -> RTX 4090).
    found = [r["family"] for r in table["rows"] if re.search(r"(^|[^A-Za-z0-9])" + re.escape(r["family"]) + r"($|[^A-Za-z0-9])", name, re.I)]
    return max(found, key=len) if found else None


def plan(rate_tflops, rtt_ms, host_ms):
    allowance = rtt_ms + host_ms
    target_ms = max(MIN_COMPUTE_MS, NOISE_FACTOR * allowance)
    tile_flops = 2 * TILE["tile_rows"] * TILE["tile_cols"] * TILE["inner"]
    tiles = max(1, math.ceil(rate_tflops * 1e12 * target_ms / 1000 / tile_flops))
    col_tiles = min(TILE["max_col_tiles"], tiles)
    shape = {"inner": TILE["inner"], "tile_rows": TILE["tile_rows"], "tile_cols": TILE["tile_cols"], "row_tiles": math.ceil(tiles / col_tiles), "col_tiles": col_tiles, "leaf_bands": TILE["leaf_bands"]}
    work = 2 * shape["row_tiles"] * shape["tile_rows"] * shape["col_tiles"] * shape["tile_cols"] * shape["inner"]
    expected_ms = work / (rate_tflops * 1e12) * 1000
    limit_ms = math.ceil(expected_ms * TOLERANCE + allowance)
    return shape, work, limit_ms


class Helper:
    """The agent's helper process, started as the agent starts it."""

    def __init__(self, env):
        self.p = subprocess.Popen([sys.executable, HELPER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)

    def ask(self, request):
        self.p.stdin.write(json.dumps(request) + "\n")
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.kill()


def check_tile(seed, shape, root, p, q, answer):
    """Recomputes tile (p, q) on the CPU in int32 and checks the helper's reveal against it."""
    import numpy as np
    import torch
    R, W, K = shape["tile_rows"], shape["tile_cols"], shape["inner"]
    a = tc.derive(tc.matrix_key(seed, "A"), p * R, R, 0, K, torch.device("cpu"), torch.int32)
    b = tc.derive(tc.matrix_key(seed, "B"), 0, K, q * W, W, torch.device("cpu"), torch.int32)
    want = (a.numpy().astype(np.int64) @ b.numpy().astype(np.int64)).astype("<i2")
    got = np.frombuffer(base64.b64decode(answer["values"]), dtype="<i2").reshape(R, W)
    if not np.array_equal(want, got):
        return f"tile ({p},{q}) values differ from the CPU recomputation"
    leaf = base64.b64decode(answer["leaf"])
    at = ((p - (p // shape["leaf_bands"]) * shape["leaf_bands"]) * shape["col_tiles"] + q) * 4
    mx, mn = int.from_bytes(leaf[at:at + 2], "little", signed=True), int.from_bytes(leaf[at + 2:at + 4], "little", signed=True)
    if (mx, mn) != (int(want.max()), int(want.min())):
        return f"tile ({p},{q}) fingerprint {mx},{mn} != {int(want.max())},{int(want.min())}"
    h = tc.leaf_hash(leaf)
    index, width = p // shape["leaf_bands"], math.ceil(shape["row_tiles"] / shape["leaf_bands"])
    proof = [base64.b64decode(x) for x in answer["proof"]]
    while width > 1:
        sibling = index ^ 1
        if sibling < width:
            s = proof.pop(0)
            h = hashlib.sha256(b"\x01" + (s + h if index & 1 else h + s)).digest()
        index >>= 1
        width = math.ceil(width / 2)
    if h.hex() != root:
        return f"tile ({p},{q}) Merkle path does not lead to the root"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.environ.get("OUT"), help="folder for gpu-check.json (default: $OUT)")
    ap.add_argument("--rtt-ms", type=float, default=1.0, help="round trip p99 to allow (the scheduler is local here)")
    ap.add_argument("--host-ms", type=float, default=200.0, help="host allowance, as the scheduler's --challenge-host-allowance")
    ap.add_argument("--family", help="table row to hold the GPU to (default: from its name)")
    ap.add_argument("--device", default="cuda", help="cuda (default), or cpu for a dry run of this script")
    ap.add_argument("--rate", type=float, help="override the row's rate (TFLOP/s), e.g. for a CPU dry run")
    args = ap.parse_args()
    import torch
    table = json.load(open(TABLE))
    report = {"torch": torch.__version__, "python": sys.version.split()[0]}
    if args.device == "cuda":
        if not torch.cuda.is_available():
            sys.exit("gpu-check: PyTorch sees no CUDA device")
        name = torch.cuda.get_device_name(0)
        uuid = subprocess.run(["nvidia-smi", "--query-gpu=uuid", "--format=csv,noheader", "-i", "0"], capture_output=True, text=True).stdout.strip() or "0"
    else:
        name, uuid = "cpu (dry run)", ""
    family = args.family or family_of(name, table)
    rate = args.rate or (achievable(table, family) if family else None)
    report.update({"gpu": name, "uuid": uuid, "family": family, "achievable_tflops": rate})
    if not rate:
        sys.exit(f"gpu-check: no table row for {name}; pass --family")
    shape, work, limit_ms = plan(rate, args.rtt_ms, args.host_ms)
    report["plan"] = {"shape": shape, "work_tflop": work / 1e12, "limit_ms": limit_ms, "proven_tflops": work / (limit_ms / 1000) / 1e12}
    print(f"GPU {name} ({uuid}), row {family}: achievable {rate} TFLOP/s; work {work / 1e12:.1f} TFLOP, limit {limit_ms} ms", flush=True)

    # 1. The honest helper from a cold start.
    env = dict(os.environ, CUDA_DEVICE_ORDER="PCI_BUS_ID")
    if args.device == "cuda":
        env["CUDA_VISIBLE_DEVICES"] = uuid
    started = time.perf_counter()
    helper = Helper(env)
    probe = helper.ask({"op": "probe"})
    warm = helper.ask({"op": "warmup", "device": args.device})
    cold_ms = (time.perf_counter() - started) * 1000
    seed = os.urandom(32)
    t0 = time.perf_counter()
    commit = helper.ask({"op": "challenge", "id": "c", "seed": seed.hex(), **shape, "deadline_ms": limit_ms * 10, "device": args.device})
    round_trip_ms = (time.perf_counter() - t0) * 1000
    problems = []
    if "error" in commit:
        problems.append(commit["error"])
    else:
        import random
        for _ in range(8):
            p, q = random.randrange(shape["row_tiles"]), random.randrange(shape["col_tiles"])
            problem = check_tile(seed, shape, commit["root"], p, q, helper.ask({"op": "tile", "id": "c", "row_tile": p, "col_tile": q}))
            if problem:
                problems.append(problem)
    helper.close()
    honest = {"probe": probe, "cold_start_ms": cold_ms, "warmup_ms": warm.get("ms"), "round_trip_ms": round_trip_ms, "compute_ms": commit.get("compute_ms"), "margin": limit_ms / round_trip_ms, "tiles_ok": not problems, "problems": problems}
    report["honest"] = honest
    print(f"honest helper: cold start {cold_ms:.0f} ms; challenge answered in {round_trip_ms:.0f} ms of a {limit_ms} ms limit: margin {limit_ms / round_trip_ms:.2f}x (target >= 2); tiles {'verified' if not problems else problems}", flush=True)

    # 3. The kernel's measured rate on this device: a second, larger run on a warm helper.
    helper = Helper(env)
    helper.ask({"op": "warmup", "device": args.device})
    big = dict(shape, row_tiles=shape["row_tiles"] * 2)
    answer = helper.ask({"op": "challenge", "id": "m", "seed": os.urandom(32).hex(), **big, "deadline_ms": limit_ms * 20, "device": args.device})
    helper.close()
    big_work = work * 2
    kernel_tflops = big_work / (answer["compute_ms"] / 1000) / 1e12 if "compute_ms" in answer else None
    report["measured_kernel_tflops"] = kernel_tflops
    if kernel_tflops:
        print(f"measured challenge kernel: {kernel_tflops:.1f} TFLOP/s on {name} (the row's achievable rate is {rate}; record this with its source)", flush=True)

    # 2. This machine's CPU claiming the same GPU: its kernel rate on a small shape, extrapolated.
    cpu = Helper(dict(os.environ, CUDA_VISIBLE_DEVICES=""))
    small = dict(shape, row_tiles=2, col_tiles=min(4, shape["col_tiles"]))
    small_work = 2 * 2 * shape["tile_rows"] * small["col_tiles"] * shape["tile_cols"] * shape["inner"]
    cpu_answer = cpu.ask({"op": "challenge", "id": "cpu", "seed": os.urandom(32).hex(), **small, "deadline_ms": 600_000, "device": "cpu"})
    cpu.close()
    cpu_tflops = small_work / (cpu_answer["compute_ms"] / 1000) / 1e12
    cpu_ms = work / (cpu_tflops * 1e12) * 1000
    report["cpu_cheat"] = {"threads": torch.get_num_threads(), "tflops": cpu_tflops, "estimated_ms": cpu_ms, "over_limit": cpu_ms / limit_ms}
    print(f"this machine's CPU claiming {family}: {cpu_tflops:.3f} TFLOP/s on the kernel, {cpu_ms / 1000:.1f} s for the challenge: {cpu_ms / limit_ms:.1f}x over the limit (target >= 5)", flush=True)

    ok = honest["tiles_ok"] and honest["margin"] >= 2 and cpu_ms / limit_ms >= 5
    report["ok"] = ok
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "gpu-check.json"), "w") as f:
            json.dump(report, f, indent=2)
    print(json.dumps(report))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
