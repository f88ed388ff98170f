import type { Scorer } from '../types.js';

const NEUTRAL = 50;
/** WORST_MS: a round trip of this or more scores 0; 0 ms scores 100. */
const WORST_MS = 200;

/** LatencyScorer prefers workers closer (in measured round trip) to the scheduler. */
export const LatencyScorer: Scorer = {
  name: 'latency',
  weight: 1,
  score: (node) => (node.latencyMs === undefined ? NEUTRAL : Math.max(0, 100 * (1 - node.latencyMs / WORST_MS))),
};
