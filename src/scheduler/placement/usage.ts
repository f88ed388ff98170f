/**
 * usage: what placed shards hold on each node, and a scratch overlay for trying a gang's ranks
 * without touching the snapshot (all-or-nothing: a failed gang leaves nothing reserved).
 */
import { NO_USAGE, type NodeUsage, type Placement, type ShardAsk, type UsageView } from './types.js';

/** UsageTable is mutable usage keyed by node id. */
export class UsageTable implements UsageView {
  protected readonly table = new Map<string, NodeUsage>();

  of(nodeId: string): NodeUsage {
    return this.table.get(nodeId) ?? NO_USAGE;
  }

  /** reserve adds one shard's holdings to its node. */
  reserve(placement: Placement, ask: ShardAsk): void {
    const current = this.of(placement.workerId);
    const gpus = new Set(current.gpus);
    for (const i of placement.gpuIndices) gpus.add(i);
    this.table.set(placement.workerId, { gpus, cpuCores: current.cpuCores + ask.resources.cpuCores, memoryMib: current.memoryMib + ask.resources.memoryMib });
  }
}

/** UsageOverlay reads through to a base view and keeps its own reservations on top. */
export class UsageOverlay extends UsageTable {
  constructor(private readonly base: UsageView) {
    super();
  }

  override of(nodeId: string): NodeUsage {
    return this.table.get(nodeId) ?? this.base.of(nodeId);
  }
}
