import type { Filter } from '../types.js';

/** MinReputationFilter keeps workers at or above the job's min_reputation (a worker with no score yet counts as 50). */
export const MinReputationFilter: Filter = {
  reason: 'reputation',
  feasible: (node, _usage, ask) => !ask.minReputation || (node.reputation ?? 50) >= ask.minReputation,
};
