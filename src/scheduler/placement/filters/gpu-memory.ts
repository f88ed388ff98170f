import type { Filter } from '../types.js';
import { usableGpus } from '../gpus.js';

/** GpuMemoryFilter keeps workers whose free GPUs of the allowed models each have enough memory. */
export const GpuMemoryFilter: Filter = {
  reason: 'gpu-memory',
  feasible: (node, usage, ask) => ask.resources.gpuCount === 0 || ask.resources.minGpuMemoryMib === 0 || usableGpus(node, usage, ask, true).length >= ask.resources.gpuCount,
};
