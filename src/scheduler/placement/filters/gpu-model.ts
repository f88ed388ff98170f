import type { Filter } from '../types.js';

/** GpuModelFilter keeps workers with a GPU of an allowed family (any, when none are named). */
export const GpuModelFilter: Filter = {
  reason: 'gpu-model',
  feasible: (node, _usage, ask) => ask.resources.gpuModels.length === 0 || ask.resources.gpuModels.some((m) => node.families.has(m)),
};
