import type { Filter } from '../types.js';
import { countUsableGpus } from '../gpus.js';

/** GpuMemoryFilter keeps workers whose free GPUs of the allowed models each have enough memory. */
export const GpuMemoryFilter: Filter = {
  reason: 'gpu-memory',
  feasible: (node, usage, ask) => ask.resources.gpuCount === 0 || ask.resources.minGpuMemoryMib === 0 || countUsableGpus(node, usage, ask, true) >= ask.resources.gpuCount,
};
