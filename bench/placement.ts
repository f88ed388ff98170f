/**
 * Placement benchmarks (the pure pipeline, one core, no store):
 *
 *   decisions/s      the three-ask cycle over 1,000 and 10,000 simulated workers, from an empty fleet
 *   utilisation      10,000 workers pre-filled to 50 %, 80 % and 95 % of their GPUs and cores, trust
 *                    facts on every worker (verified or not, a reputation), and asks sampled at random
 *                    from a mix with trust floors and 2–3 GPU families; Tessera's breadth (score
 *                    log2(n) feasible nodes) beside a kube-scheduler-like breadth (at least 100 nodes
 *                    or 5 % of the fleet, as its percentageOfNodesToScore does at this size)
 */
import type { Hardware } from '../src/common/hardware.js';
import { resourcesSchema } from '../src/common/job.js';
import type { WorkerRecord } from '../src/common/worker.js';
import { buildIndex, type NodeExtras } from '../src/scheduler/placement/snapshot.js';
import { candidateLimit, newPlacementStack } from '../src/scheduler/placement/stack.js';
import type { ShardAsk } from '../src/scheduler/placement/types.js';
import { UsageOverlay, UsageTable } from '../src/scheduler/placement/usage.js';
import { makeRng } from './common.js';

const MODELS: Array<[string, number, number]> = [
  ['NVIDIA H100 80GB HBM3', 8, 81_559],
  ['NVIDIA A100-SXM4-80GB', 4, 81_920],
  ['NVIDIA GeForce RTX 4090', 1, 24_564],
  ['NVIDIA GeForce RTX 3080', 1, 10_240],
  ['Tesla T4', 1, 15_360],
  ['NVIDIA L40S', 2, 46_068],
];
const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'];

/** simulatedFleet: a deterministic mix — a quarter CPU-only, the rest spread over six GPU models. */
export function simulatedFleet(n: number): WorkerRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const model = i % 4 === 0 ? undefined : MODELS[i % MODELS.length]!;
    const hardware: Hardware = {
      gpus: model ? Array.from({ length: model[1] }, (_, g) => ({ vendor: 'nvidia' as const, uuid: `GPU-${i}-${g}`, name: model[0], memoryTotalMib: model[2], serial: '', pciBusId: '', virtualizationMode: 'none' as const, computeCapability: '', migMode: 'disabled' as const, migDevices: [], architecture: '', coreCount: 0 })) : [],
      cpu: { model: 'sim', cores: 8 << i % 4, memoryTotalMib: 65_536, arch: 'x64' },
      driverVersion: '', cudaVersion: '', os: 'Linux', hostname: `sim-${i}`, discoverySource: 'bench',
    };
    return { id: `w-${i.toString(16).padStart(16, '0')}`, name: `sim-${i}`, region: REGIONS[i % REGIONS.length]!, labels: {}, hardware, agentVersion: 'bench', isolation: { sandboxed: true, detail: 'simulated' }, joinedAtMs: 0 };
  });
}

const ASKS: ShardAsk[] = [
  { resources: resourcesSchema.parse({ cpuCores: 1 }), regions: [], labels: {} },
  { resources: resourcesSchema.parse({ gpuCount: 1, cpuCores: 1 }), regions: [], labels: {} },
  // H100 nodes of this fleet sit in us-west (every 12th worker): ask for a region list that includes it.
  { resources: resourcesSchema.parse({ gpuCount: 1, gpuModels: ['H100'], cpuCores: 2 }), regions: ['us-west', 'eu-west'], labels: {} },
];

/** decisionsPerSecond places `count` shards (cycling through three asks), resetting usage when the fleet fills. */
export function decisionsPerSecond(workers: number, count: number): number {
  const index = buildIndex(simulatedFleet(workers).map((w) => [w, true] as [WorkerRecord, boolean]));
  const stack = newPlacementStack();
  let usage = new UsageTable();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const ask = ASKS[i % ASKS.length]!;
    const decision = stack.place(index, usage, ask);
    if (decision.ok) usage.reserve(decision.placement, ask);
    else usage = new UsageTable();
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * kubeCandidateLimit: kube-scheduler's numFeasibleNodesToFind with the default
 * percentageOfNodesToScore — 50 % − n/125 %, at least 5 %, and at least 100 nodes (all of a
 * fleet under 100). At 10,000 nodes: 500.
 */
export function kubeCandidateLimit(nodes: number): number {
  if (nodes < 100) return nodes;
  const percent = Math.max(5, 50 - nodes / 125);
  return Math.max(100, Math.floor((nodes * percent) / 100));
}

/**
 * trustFacts: what the trust manager would know of each worker, drawn once per worker from a
 * fixed seed — 70 % of GPU workers and 90 % of CPU-only ones verified (new or changed hardware
 * waits for its first challenge; a few were flagged); reputations mostly 70–100, 15 % at 40–70
 * and 5 % below 40 (workers that lost shards).
 */
export function trustFacts(seed = 7): NodeExtras {
  const facts = new Map<string, { verified: boolean; reputation: number }>();
  const rng = makeRng(seed);
  return (worker) => {
    let f = facts.get(worker.id);
    if (!f) {
      const r = rng();
      const reputation = r < 0.05 ? 10 + 30 * rng() : r < 0.2 ? 40 + 30 * rng() : 70 + 30 * rng();
      f = { verified: rng() < (worker.hardware.gpus.length > 0 ? 0.7 : 0.9), reputation };
      facts.set(worker.id, f);
    }
    return f;
  };
}

/** MIXED_ASKS: the sampled mix, with its weights. Region lists match where this fleet puts each model. */
const MIXED_ASKS: Array<{ weight: number; ask: ShardAsk }> = [
  // CPU work, no trust floor.
  { weight: 20, ask: { resources: resourcesSchema.parse({ cpuCores: 2 }), regions: [], labels: {} } },
  // One GPU of any model, on verified hardware.
  { weight: 20, ask: { resources: resourcesSchema.parse({ gpuCount: 1, cpuCores: 2 }), regions: [], labels: {}, requireVerified: true } },
  // One data-centre GPU (two families), verified and reputable.
  { weight: 20, ask: { resources: resourcesSchema.parse({ gpuCount: 1, gpuModels: ['H100', 'A100'], cpuCores: 4 }), regions: [], labels: {}, requireVerified: true, minReputation: 60 } },
  // Two GPUs of three families on one node, reputable.
  { weight: 15, ask: { resources: resourcesSchema.parse({ gpuCount: 2, gpuModels: ['A100', 'H100', 'L40S'], cpuCores: 8 }), regions: [], labels: {}, minReputation: 70 } },
  // One consumer GPU (three families) in two regions, a lower floor.
  { weight: 25, ask: { resources: resourcesSchema.parse({ gpuCount: 1, gpuModels: ['RTX 4090', 'RTX 3080', 'T4'], cpuCores: 1 }), regions: ['us-east', 'ap-south'], labels: {}, minReputation: 50 } },
];

/** sampledAsks draws `count` asks from MIXED_ASKS by weight, from a fixed seed. */
function sampledAsks(count: number, seed: number): ShardAsk[] {
  const rng = makeRng(seed);
  const total = MIXED_ASKS.reduce((n, a) => n + a.weight, 0);
  return Array.from({ length: count }, () => {
    let pick = rng() * total;
    for (const { weight, ask } of MIXED_ASKS) {
      pick -= weight;
      if (pick < 0) return ask;
    }
    return MIXED_ASKS.at(-1)!.ask;
  });
}

/**
 * filledUsage holds `fraction` of the fleet: each GPU is busy with that probability, and each node
 * has that share of its cores in use (± 10 %), so some nodes are full and some free, as a packed
 * fleet looks.
 */
function filledUsage(workers: WorkerRecord[], fraction: number, seed: number): UsageTable {
  const rng = makeRng(seed);
  const usage = new UsageTable();
  for (const w of workers) {
    const gpuIndices = w.hardware.gpus.map((_, i) => i).filter(() => rng() < fraction);
    const cores = Math.min(w.hardware.cpu.cores, Math.round(w.hardware.cpu.cores * fraction * (0.9 + 0.2 * rng())));
    usage.reserve({ workerId: w.id, gpuIndices }, { resources: resourcesSchema.parse({ cpuCores: Math.max(cores, 0.001) }), regions: [], labels: {} });
  }
  return usage;
}

/** UtilisationFigures: decisions per second at one utilisation, for one breadth. */
export interface UtilisationFigures {
  perSecond: number;
  /** Share of decisions that found a node. */
  placed: number;
  /** Mean nodes a decision looked at (filtered, and scored when feasible). */
  evaluated: number;
  /** Mean µs per decision in NodeIndex.candidatesFor alone (the GPU-family lookup; asks of several families build a union). */
  candidatesUs: number;
}

/**
 * utilisationDecisions runs `count` sampled asks against a fleet of `workers` filled to
 * `fraction`. Each placement is reserved on a scratch overlay, reset every 500 decisions, so the
 * fleet stays within about 1 % of the target utilisation throughout.
 */
export function utilisationDecisions(workers: number, fraction: number, count: number, breadth: 'tessera' | 'kube'): UtilisationFigures {
  const fleet = simulatedFleet(workers);
  const index = buildIndex(fleet.map((w) => [w, true] as [WorkerRecord, boolean]), trustFacts());
  const base = filledUsage(fleet, fraction, 11);
  const asks = sampledAsks(count, 13);
  const stack = newPlacementStack({ candidateLimit: breadth === 'kube' ? kubeCandidateLimit : candidateLimit });
  let usage = new UsageOverlay(base);
  let placed = 0;
  let evaluated = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0) usage = new UsageOverlay(base);
    const ask = asks[i]!;
    const decision = stack.place(index, usage, ask);
    evaluated += decision.explanation.nodesEvaluated;
    if (decision.ok) {
      usage.reserve(decision.placement, ask);
      placed++;
    }
  }
  const perSecond = count / (Number(process.hrtime.bigint() - start) / 1e9);
  const lookups = process.hrtime.bigint();
  let found = 0;
  for (const ask of asks) found += index.candidatesFor(ask).nodes.length;
  const candidatesUs = Number(process.hrtime.bigint() - lookups) / 1e3 / count;
  if (found < 0) throw new Error('unreachable');
  return { perSecond, placed: placed / count, evaluated: evaluated / count, candidatesUs };
}
