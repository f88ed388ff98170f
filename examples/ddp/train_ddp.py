"""Data-parallel training with PyTorch DDP (gloo, CPU): a Tessera gang job.

Tessera starts one process per rank with torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK,
LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT), so `init_process_group(init_method="env://")`
just works. Each rank trains on its slice of a synthetic regression problem; gradients are
averaged by DDP, so every rank ends with the same weights. The loss on the full data set before
and after training goes into the shard result (TESSERA_RESULT_PATH).

Environment knobs: DDP_STEPS (default 60), DDP_STEP_SLEEP seconds per step (default 0).
"""
import json
import os
import time
from datetime import timedelta

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP


def main() -> None:
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=60))
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    features = torch.randn(1024, 16)
    true_weights = torch.randn(16, 1)
    targets = features @ true_weights + 0.01 * torch.randn(1024, 1)

    model = DDP(torch.nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    loss_fn = torch.nn.MSELoss()

    def full_loss() -> float:
        with torch.no_grad():
            return loss_fn(model.module(features), targets).item()

    first = full_loss()
    mine = slice(rank, None, world)
    steps = int(os.environ.get("DDP_STEPS", "60"))
    pause = float(os.environ.get("DDP_STEP_SLEEP", "0"))
    for step in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(features[mine]), targets[mine])
        loss.backward()
        optimizer.step()
        if step % 10 == 0 or step == steps - 1:
            print(f"rank {rank}/{world} step {step} loss {loss.item():.6f}", flush=True)
        if pause:
            time.sleep(pause)

    final = full_loss()
    result = {"rank": rank, "world_size": world, "steps": steps, "first_loss": first, "final_loss": final}
    with open(os.environ["TESSERA_RESULT_PATH"], "w") as out:
        json.dump(result, out)
    print(f"rank {rank} done: loss {first:.6f} -> {final:.6f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
