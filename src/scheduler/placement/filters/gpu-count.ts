import type { Filter } from '../types.js';
import { usableGpus } from '../gpus.js';

/** GpuCountFilter keeps workers with enough free GPUs of the allowed models and memory. */
export const GpuCountFilter: Filter = {
  reason: 'gpu-count',
  feasible: (node, usage, ask) => ask.resources.gpuCount === 0 || usableGpus(node, usage, ask, false).length >= ask.resources.gpuCount,
};
