/**
 * stack: the placement pipeline, wired in one place (after Nomad's NewGenericStack):
 * candidates → filters → scorers → normalise → select. Pure: it reads a snapshot and returns a
 * decision with its breakdown; committing is the store's job.
 */
import { CpuFilter } from './filters/cpu.js';
import { GpuCountFilter } from './filters/gpu-count.js';
import { GpuMemoryFilter } from './filters/gpu-memory.js';
import { GpuModelFilter } from './filters/gpu-model.js';
import { LabelFilter } from './filters/labels.js';
import { MemoryFilter } from './filters/memory.js';
import { OnlineFilter } from './filters/online.js';
import { SandboxFilter } from './filters/sandbox.js';
import { RegionFilter } from './filters/region.js';
import { VerifiedFilter } from './filters/verified.js';
import { MinReputationFilter, MinUptimeFilter } from './filters/reputation.js';
import { failureSummary } from './explain.js';
import { usableGpus } from './gpus.js';
import type { NodeIndex } from './node-index.js';
import { clamp, weightedTotal } from './normalise.js';
import { BinPackScorer } from './scorers/bin-pack.js';
import { LatencyScorer } from './scorers/latency.js';
import { ReputationScorer } from './scorers/reputation.js';
import { selectBest } from './select.js';
import type { CandidateReport, Decision, Explanation, Filter, FilterReason, Scorer, ShardAsk, UsageView } from './types.js';

/** MAX_REPORTED_CANDIDATES bounds an explanation's per-node list; counts cover the rest. */
const MAX_REPORTED_CANDIDATES = 20;

/**
 * candidateLimit: how many feasible nodes to score before choosing. Like Nomad's LimitIterator,
 * scoring log₂(n) random feasible nodes (at least 2: the power of two choices) keeps a decision
 * O(log n) while still spreading and packing well.
 */
export function candidateLimit(nodes: number): number {
  return Math.max(2, Math.ceil(Math.log2(Math.max(2, nodes))));
}

/** PlacementStack runs the pipeline for one shard at a time. */
export class PlacementStack {
  constructor(
    readonly filters: readonly Filter[],
    readonly scorers: readonly Scorer[],
    /** limit: how many feasible nodes a decision scores, given the fleet's size (default candidateLimit). */
    readonly limit: (nodes: number) => number = candidateLimit,
  ) {}

  /** place chooses a node for `ask`, or explains why none fits. */
  place(index: NodeIndex, usage: UsageView, ask: ShardAsk): Decision {
    const { nodes, skippedByModel } = index.candidatesFor(ask);
    const limit = this.limit(index.size);
    const filtered: Partial<Record<FilterReason, number>> = skippedByModel > 0 ? { 'gpu-model': skippedByModel } : {};
    const reports: CandidateReport[] = [];
    const feasible: CandidateReport[] = [];
    let evaluated = 0;
    const start = nodes.length > 0 ? index.nextOffset() % nodes.length : 0;
    for (let i = 0; i < nodes.length && feasible.length < limit; i++) {
      const node = nodes[(start + i) % nodes.length]!;
      const held = usage.of(node.id);
      evaluated++;
      let failed: Filter | undefined;
      for (const f of this.filters) {
        if (!f.feasible(node, held, ask)) {
          failed = f;
          break;
        }
      }
      if (failed) {
        filtered[failed.reason] = (filtered[failed.reason] ?? 0) + 1;
        if (reports.length < MAX_REPORTED_CANDIDATES) reports.push({ workerId: node.id, rejectedBy: failed.reason });
        continue;
      }
      const scores: Record<string, number> = {};
      for (const s of this.scorers) scores[s.name] = clamp(s.score(node, held, ask));
      const report: CandidateReport = { workerId: node.id, scores, total: weightedTotal(this.scorers, scores) };
      feasible.push(report);
    }
    const best = selectBest(feasible);
    const base = { nodesTotal: index.size, nodesEvaluated: evaluated, filtered };
    if (!best) {
      const explanation: Explanation = { ...base, candidates: reports, summary: '' };
      explanation.summary = failureSummary(explanation, ask);
      return { ok: false, explanation };
    }
    best.selected = true;
    const node = index.get(best.workerId)!;
    const gpuIndices = usableGpus(node, usage.of(node.id), ask, true)
      .slice(0, ask.resources.gpuCount)
      .map((g) => g.index);
    const candidates = [...feasible, ...reports].slice(0, MAX_REPORTED_CANDIDATES);
    const summary = `placed on ${best.workerId} (score ${best.total!.toFixed(1)}; ${feasible.length} feasible of ${evaluated} evaluated, ${index.size} workers)`;
    return { ok: true, placement: { workerId: best.workerId, gpuIndices }, explanation: { ...base, candidates, summary } };
  }
}

/**
 * newPlacementStack wires Tessera's default pipeline. `candidateLimit` replaces how many feasible
 * nodes a decision scores (the benchmark sets a kube-scheduler-like breadth beside the default).
 */
export function newPlacementStack(options: { candidateLimit?: (nodes: number) => number } = {}): PlacementStack {
  return new PlacementStack(
    [
      OnlineFilter, // offline supply is never a candidate, so it goes first
      SandboxFilter, // a tenant's code runs only where the agent isolates it, unless the job allows otherwise
      VerifiedFilter, // unproven hardware is not supply for jobs that ask for proof
      MinReputationFilter, // nor are workers below the job's reputation floor
      MinUptimeFilter, // or connected less of the last 30 days than the job asks
      RegionFilter, // static properties next: cheap, and they never change as shards land
      LabelFilter,
      GpuModelFilter, // usually pre-empted by the family index; kept for nodes reached by scan
      GpuCountFilter, // resource checks last: they depend on what is already placed
      GpuMemoryFilter,
      CpuFilter,
      MemoryFilter,
    ],
    [
      BinPackScorer, // pack to keep whole nodes free for gangs
      ReputationScorer, // prefer workers with a better record (docs/reputation.md)
      LatencyScorer, // prefer workers closer to the scheduler (neutral until latency probes land)
    ],
    options.candidateLimit,
  );
}
