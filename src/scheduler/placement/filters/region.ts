import type { Filter } from '../types.js';

/** RegionFilter keeps workers in one of the regions the job allows (any, when none are named). */
export const RegionFilter: Filter = {
  reason: 'region',
  feasible: (node, _usage, ask) => ask.regions.length === 0 || ask.regions.includes(node.region),
};
