import type { Filter } from '../types.js';

/** LabelFilter keeps workers carrying every label the job selects on. */
export const LabelFilter: Filter = {
  reason: 'labels',
  feasible: (node, _usage, ask) => Object.entries(ask.labels).every(([k, v]) => node.labels[k] === v),
};
