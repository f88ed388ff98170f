import type { Filter } from '../types.js';

/** MemoryFilter keeps workers with enough unreserved host memory. */
export const MemoryFilter: Filter = {
  reason: 'memory',
  feasible: (node, usage, ask) => node.memoryMib - usage.memoryMib >= ask.resources.memoryMib,
};
