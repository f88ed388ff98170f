/**
 * gang: all-or-nothing placement of a gang's ranks. Ranks are tried on a scratch overlay of the
 * usage; if any rank has nowhere to go, nothing is reserved and the failing rank's explanation
 * says why.
 */
import type { NodeIndex } from './node-index.js';
import type { PlacementStack } from './stack.js';
import type { Decision, Explanation, Placement, ShardAsk, UsageView } from './types.js';
import { UsageOverlay } from './usage.js';

/** GangDecision places every rank or none. */
export type GangDecision = { ok: true; placements: Placement[]; explanations: Explanation[] } | { ok: false; failedRank: number; explanation: Explanation };

export function placeGang(stack: PlacementStack, index: NodeIndex, usage: UsageView, ask: ShardAsk, worldSize: number): GangDecision {
  const scratch = new UsageOverlay(usage);
  const placements: Placement[] = [];
  const explanations: Explanation[] = [];
  for (let rank = 0; rank < worldSize; rank++) {
    const decision: Decision = stack.place(index, scratch, ask);
    if (!decision.ok) {
      const explanation = { ...decision.explanation, summary: `gang of ${worldSize} not placed (rank ${rank} has nowhere to go; nothing reserved): ${decision.explanation.summary}` };
      return { ok: false, failedRank: rank, explanation };
    }
    scratch.reserve(decision.placement, ask);
    placements.push(decision.placement);
    explanations.push(decision.explanation);
  }
  return { ok: true, placements, explanations };
}
