import type { Filter } from '../types.js';

/** MinReputationFilter keeps workers at or above the job's min_reputation (a worker with no score yet counts as 50). */
export const MinReputationFilter: Filter = {
  reason: 'reputation',
  feasible: (node, _usage, ask) => !ask.minReputation || (node.reputation ?? 50) >= ask.minReputation,
};

/** MinUptimeFilter keeps workers connected at least the job's min_uptime_30d share of the last 30 days (unknown: not yet measured, so not kept). */
export const MinUptimeFilter: Filter = {
  reason: 'uptime',
  feasible: (node, _usage, ask) => !ask.minUptime30d || (node.uptime30d ?? 0) >= ask.minUptime30d,
};
