import type { Filter } from '../types.js';
import { countUsableGpus } from '../gpus.js';

/** GpuCountFilter keeps workers with enough free GPUs of the allowed models and memory. */
export const GpuCountFilter: Filter = {
  reason: 'gpu-count',
  feasible: (node, usage, ask) => ask.resources.gpuCount === 0 || countUsableGpus(node, usage, ask, false) >= ask.resources.gpuCount,
};
