/**
 * normalise: turns each scorer's bounded score into one total, the weighted mean, so adding a
 * scorer never changes the scale totals are compared on.
 */
import type { Scorer } from './types.js';

/** clamp bounds a raw score to 0–100 (a scorer bug must not dominate the others). */
export function clamp(score: number): number {
  return Number.isFinite(score) ? Math.min(100, Math.max(0, score)) : 0;
}

/** weightedTotal is Σ wᵢ·sᵢ / Σ wᵢ over the named scores. */
export function weightedTotal(scorers: readonly Scorer[], scores: Record<string, number>): number {
  let sum = 0;
  let weights = 0;
  for (const s of scorers) {
    sum += s.weight * (scores[s.name] ?? 0);
    weights += s.weight;
  }
  return weights > 0 ? sum / weights : 0;
}
