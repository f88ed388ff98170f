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

/** countUsableGpus counts what usableGpus would list, without allocating (filters run per node per decision). */
export function countUsableGpus(node: NodeInfo, usage: NodeUsage, ask: ShardAsk, checkMemory: boolean): number {
  const models = ask.resources.gpuModels;
  let n = 0;
  for (const g of node.gpus) {
    if (usage.gpus.has(g.index)) continue;
    if (models.length > 0 && (g.family === undefined || !models.includes(g.family))) continue;
    if (checkMemory && g.memoryMib < ask.resources.minGpuMemoryMib) continue;
    n++;
  }
  return n;
}
