/**
 * gpus: which GPUs of a node a shard could use.
 */
import type { NodeGpu, NodeInfo, NodeUsage, ShardAsk } from './types.js';

/** usableGpus lists free GPUs of an allowed family, optionally also with enough memory. */
export function usableGpus(node: NodeInfo, usage: NodeUsage, ask: ShardAsk, checkMemory: boolean): NodeGpu[] {
  const models = ask.resources.gpuModels;
  return node.gpus.filter(
    (g) =>
      !usage.gpus.has(g.index) &&
      (models.length === 0 || (g.family !== undefined && models.includes(g.family))) &&
      (!checkMemory || g.memoryMib >= ask.resources.minGpuMemoryMib),
  );
}
