/**
 * sizing: how much work a challenge is and how long the claimed device may take. Pure.
 *
 * A pass must prove at least half the claimed model's achievable rate. The limit is
 *
 *   limit = work / rate × TOLERANCE + rttP99 + hostAllowance
 *
 * so a pass proves work / limit. Sizing the work to need t = work / rate ≥ NOISE_FACTOR ×
 * (rttP99 + hostAllowance) on the claimed model bounds what the allowances can hide:
 * rttP99 + hostAllowance ≤ t / 2.5, limit ≤ 1.9 t, proven ≥ rate / 1.9 > rate / 2.
 *
 * A worker without GPUs gets a small CPU challenge that checks the answer, not the speed: a CPU is
 * never supply. A GPU whose model has no row in the table is not challenged at all: it stays
 * unverified with the reason, rather than being measured against a guess.
 */
import { shapeFlops, type ChallengeShape } from '../../common/challenge.js';
import { familyOf } from '../../common/gpu-catalog.js';
import defaultTable from './gpu-throughput.json' with { type: 'json' };

/** TOLERANCE: an honest device may run at 1/1.5 of its row's achievable rate and still pass. */
export const TOLERANCE = 1.5;
/** NOISE_FACTOR: the claimed model's compute time is at least 2.5× what the allowances add (see above). */
export const NOISE_FACTOR = 2.5;
/** MIN_COMPUTE_MS: never less than half a second of work on the claimed model, however close it is. */
export const MIN_COMPUTE_MS = 500;
/** MAX_COMPUTE_MS: a worker with a terrible link is not worth minutes of GPU time; it stays unverified. */
export const MAX_COMPUTE_MS = 5_000;
/** GPU_SHAPE: K=1024 (exact in fp16), 64×2048 tiles (256 KiB revealed), N=65536 (B is 128 MiB of fp16). */
const GPU_TILE = { inner: 1024, tileRows: 64, tileCols: 2048, maxColTiles: 32, leafBands: 16 };
/** CPU_SHAPE: 128×1024 with K=256, 67 M flops: tens of milliseconds on any CPU. */
const CPU_SHAPE: ChallengeShape = { inner: 256, tileRows: 16, tileCols: 256, rowTiles: 8, colTiles: 4, leafBands: 2 };

/** ThroughputRow is one model's achievable rate on the challenge kernel, with where it comes from. */
export interface ThroughputRow {
  family: string;
  achievableTflops: number;
  /** "measured" when Tessera or its calibration measured the matmul on that model, else "estimated". */
  basis: 'measured' | 'estimated';
  source: string;
}

/** ThroughputTable is the rows by family, built from gpu-throughput.json (or an operator's file of the same shape). */
export type ThroughputTable = Map<string, ThroughputRow>;

/** ThroughputTableFile is the shape of gpu-throughput.json (and of --gpu-throughput-file). */
export interface ThroughputTableFile {
  kernelShare: { value: number; source: string };
  generations: Record<string, { efficiency: number; source: string }>;
  rows: Array<{ family: string; generation: string; datasheetTflops: number; measuredMatmulTflops?: number; source: string }>;
}

/** compileThroughputTable turns the table file into achievable rates. */
export function compileThroughputTable(file: ThroughputTableFile = defaultTable): ThroughputTable {
  const table: ThroughputTable = new Map();
  for (const row of file.rows) {
    const generation = file.generations[row.generation];
    if (!generation) throw new Error(`gpu throughput table: ${row.family} names unknown generation ${row.generation}`);
    const matmul = row.measuredMatmulTflops ?? row.datasheetTflops * generation.efficiency;
    table.set(row.family, {
      family: row.family,
      achievableTflops: Number((matmul * file.kernelShare.value).toPrecision(4)),
      basis: row.measuredMatmulTflops !== undefined ? 'measured' : 'estimated',
      source: `${row.source}; efficiency: ${row.measuredMatmulTflops !== undefined ? 'measured' : generation.source}; kernel share ${file.kernelShare.value} (${file.kernelShare.source})`,
    });
  }
  return table;
}

/** ChallengePlan is one device's challenge: its shape, its limit, and what a pass proves. */
export interface ChallengePlan {
  shape: ChallengeShape;
  precision: 'fp16';
  gpuIndex: number;
  gpuUuid: string;
  family?: string;
  /** The claimed model's achievable rate (GPU plans only). */
  claimedTflops?: number;
  /** The work at the claimed rate (GPU plans only). */
  expectedMs?: number;
  limitMs: number;
  /** The throughput a pass within the limit proves: work / limit (GPU plans only). */
  provenTflops?: number;
  work: number;
}

/** PlanOutcome is a plan, or the reason a device cannot be challenged (it then stays unverified). */
export type PlanOutcome = { ok: true; plan: ChallengePlan } | { ok: false; reason: string };

/** PlanOptions are the sizing inputs the scheduler measures or configures. */
export interface PlanOptions {
  table: ThroughputTable;
  /** The worker's round trip as the scheduler measured it (p99 of recent pings), ms. */
  rttP99Ms: number;
  /** Host-side time an honest agent needs besides the kernel: request, derivation of B, copying fingerprints, hashing. */
  hostAllowanceMs: number;
  cpuDeadlineMs: number;
}

/** planCpuChallenge is the small challenge of a worker without GPUs: it checks the answer, not the speed. */
export function planCpuChallenge(options: Pick<PlanOptions, 'cpuDeadlineMs'>): ChallengePlan {
  return { shape: CPU_SHAPE, precision: 'fp16', gpuIndex: -1, gpuUuid: '', limitMs: options.cpuDeadlineMs, work: shapeFlops(CPU_SHAPE) };
}

/** planGpuChallenge sizes the challenge of GPU `gpuIndex`, named `gpuName`, for its claimed model. */
export function planGpuChallenge(gpuIndex: number, gpuName: string, gpuUuid: string, options: PlanOptions): PlanOutcome {
  const family = familyOf(gpuName);
  const row = family ? options.table.get(family) : undefined;
  if (!row) return { ok: false, reason: `cannot verify ${gpuName}: no throughput row for this model (see docs/trust.md)` };
  const allowanceMs = options.rttP99Ms + options.hostAllowanceMs;
  const targetMs = Math.max(MIN_COMPUTE_MS, NOISE_FACTOR * allowanceMs);
  if (targetMs > MAX_COMPUTE_MS) return { ok: false, reason: `cannot verify ${gpuName}: round trip p99 ${Math.round(options.rttP99Ms)} ms is too long to time a challenge` };
  const rate = row.achievableTflops * 1e12;
  const tileFlops = 2 * GPU_TILE.tileRows * GPU_TILE.tileCols * GPU_TILE.inner;
  const tiles = Math.max(1, Math.ceil((rate * targetMs) / 1000 / tileFlops));
  const colTiles = Math.min(GPU_TILE.maxColTiles, tiles);
  const shape: ChallengeShape = { inner: GPU_TILE.inner, tileRows: GPU_TILE.tileRows, tileCols: GPU_TILE.tileCols, colTiles, rowTiles: Math.ceil(tiles / colTiles), leafBands: GPU_TILE.leafBands };
  const work = shapeFlops(shape);
  const expectedMs = (work / rate) * 1000;
  const limitMs = Math.ceil(expectedMs * TOLERANCE + allowanceMs);
  return {
    ok: true,
    plan: { shape, precision: 'fp16', gpuIndex, gpuUuid, family: row.family, claimedTflops: row.achievableTflops, expectedMs, limitMs, provenTflops: work / (limitMs / 1000) / 1e12, work },
  };
}
