/**
 * select: picks the best scored candidate; ties go to the lower worker id so decisions repeat.
 */
import type { CandidateReport } from './types.js';

export function selectBest(candidates: CandidateReport[]): CandidateReport | undefined {
  let best: CandidateReport | undefined;
  for (const c of candidates) {
    if (c.total === undefined) continue;
    if (!best || c.total > best.total! || (c.total === best.total && c.workerId < best.workerId)) best = c;
  }
  return best;
}
