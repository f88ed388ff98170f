import type { Scorer } from '../types.js';

/** NEUTRAL is the score of a node with no record yet: neither favoured nor avoided. */
const NEUTRAL = 50;

/** ReputationScorer prefers workers with a better recorded reputation (0–100). */
export const ReputationScorer: Scorer = {
  name: 'reputation',
  weight: 1,
  score: (node) => node.reputation ?? NEUTRAL,
};
