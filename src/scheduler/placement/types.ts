/**
 * types: what the placement pipeline reads (a snapshot of nodes and their usage), what it is
 * asked (one shard's needs), and what it answers (a choice with its reasons).
 */
import type { Resources } from '../../common/job.js';

/** NodeGpu is one GPU of a node, with the family a job can ask for. */
export interface NodeGpu {
  index: number;
  name: string;
  family: string | undefined;
  memoryMib: number;
}

/** NodeInfo is a worker as placement sees it; built once per topology change, not per decision. */
export interface NodeInfo {
  id: string;
  online: boolean;
  region: string;
  labels: Record<string, string>;
  gpus: NodeGpu[];
  families: Set<string>;
  cpuCores: number;
  memoryMib: number;
  /** 0–100 from the reputation log; undefined until one is computed. */
  reputation?: number;
  /** Share of the last 30 days connected (since joining), from the reputation rollups; undefined until computed. */
  uptime30d?: number;
  /** Whether the hardware this worker reports passed its challenges. */
  verified?: boolean;
  /** Measured round trip to the scheduler, milliseconds; undefined when not measured. */
  latencyMs?: number;
  /** Whether the worker's agent says it runs shards in a sandbox (its claim). */
  sandboxed: boolean;
}

/** NodeUsage is what shards already placed on a node hold. */
export interface NodeUsage {
  gpus: ReadonlySet<number>;
  cpuCores: number;
  memoryMib: number;
}

export const NO_USAGE: NodeUsage = { gpus: new Set(), cpuCores: 0, memoryMib: 0 };

/** UsageView answers "what is in use on this node" (a snapshot, or a scratch overlay of one). */
export interface UsageView {
  of(nodeId: string): NodeUsage;
}

/** ShardAsk is what one shard needs and where it may run. */
export interface ShardAsk {
  resources: Resources;
  regions: string[];
  labels: Record<string, string>;
  requireVerified?: boolean;
  minReputation?: number;
  minUptime30d?: number;
  /** Also place on workers whose agent runs shards without a sandbox. */
  allowUnsandboxed?: boolean;
}

/** FilterReason is the named table of why a node cannot take a shard. */
export type FilterReason = 'offline' | 'unsandboxed' | 'unverified' | 'reputation' | 'uptime' | 'region' | 'labels' | 'gpu-model' | 'gpu-count' | 'gpu-memory' | 'cpu' | 'memory';

/** Filter is one feasibility stage; it returns true when the node can take the shard. */
export interface Filter {
  readonly reason: FilterReason;
  feasible(node: NodeInfo, usage: NodeUsage, ask: ShardAsk): boolean;
}

/** Scorer is one ranking stage: a bounded 0–100 score for a feasible node, with a weight. */
export interface Scorer {
  readonly name: string;
  readonly weight: number;
  score(node: NodeInfo, usage: NodeUsage, ask: ShardAsk): number;
}

/** CandidateReport says what happened to one node in one decision. */
export interface CandidateReport {
  workerId: string;
  rejectedBy?: FilterReason;
  scores?: Record<string, number>;
  total?: number;
  selected?: boolean;
}

/** Explanation is the per-decision breakdown users read through GetJob and ExplainPlacement. */
export interface Explanation {
  nodesTotal: number;
  nodesEvaluated: number;
  filtered: Partial<Record<FilterReason, number>>;
  candidates: CandidateReport[];
  summary: string;
}

/** Placement is one shard's home: a node and the GPUs on it. */
export interface Placement {
  workerId: string;
  gpuIndices: number[];
}

/** Decision is a placement or the reasons there is none. */
export type Decision = { ok: true; placement: Placement; explanation: Explanation } | { ok: false; explanation: Explanation };
