import type { Filter } from '../types.js';

/** CpuFilter keeps workers with enough unreserved cores. */
export const CpuFilter: Filter = {
  reason: 'cpu',
  feasible: (node, usage, ask) => node.cpuCores - usage.cpuCores >= ask.resources.cpuCores - 1e-9,
};
