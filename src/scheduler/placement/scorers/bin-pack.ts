import type { Scorer } from '../types.js';

/**
 * BinPackScorer prefers nodes already busy (Nomad's default for batch): filling one node
 * before opening the next leaves whole nodes free for large gangs. 100 = the node would be full.
 */
export const BinPackScorer: Scorer = {
  name: 'bin-pack',
  weight: 1,
  score(node, usage, ask) {
    const cpu = node.cpuCores > 0 ? (usage.cpuCores + ask.resources.cpuCores) / node.cpuCores : 1;
    if (node.gpus.length === 0 || ask.resources.gpuCount === 0) return Math.min(100, 100 * cpu);
    const gpu = (usage.gpus.size + ask.resources.gpuCount) / node.gpus.length;
    return Math.min(100, 100 * (0.75 * gpu + 0.25 * cpu));
  },
};
