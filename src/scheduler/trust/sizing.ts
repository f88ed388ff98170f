/**
 * sizing: how big a challenge is and how long the claimed device may take. Pure.
 *
 * For a GPU, n is chosen so the claimed device needs about TARGET_MS of compute (capped at
 * maxN), and the limit is that time × TOLERANCE plus a fixed allowance for the network, deriving
 * the matrices and hashing the product. A CPU-only worker gets a small challenge that checks the
 * answer, not the speed.
 */
import { familyOf } from '../../common/gpu-catalog.js';
import type { WorkerRecord } from '../../common/worker.js';
import table from './gpu-throughput.json' with { type: 'json' };

/** TARGET_MS: compute time the claimed GPU should need, long enough to dwarf noise. */
const TARGET_MS = 50;
/** TOLERANCE: real matmuls reach 50–80% of peak; 20× leaves honest devices far inside the limit. */
export const TOLERANCE = 20;
/** CPU_N: a CPU-only worker multiplies 256×256 (16.7 M multiply-adds, tens of ms). */
const CPU_N = 256;

/** ChallengePlan is one challenge's parameters and its time limit. */
export interface ChallengePlan {
  n: number;
  precision: 'fp32';
  gpuIndex: number;
  family?: string;
  memoryCheckMib: number;
  expectedMs?: number;
  limitMs: number;
}

const throughput = new Map(table.rows.map((r) => [r.family, r.fp32]));

/** expectedTflops is the fp32 peak of a GPU family, from gpu-throughput.json. */
export function expectedTflops(family: string | undefined): number | undefined {
  return family ? throughput.get(family) : undefined;
}

/** planChallenge sizes a challenge for GPU `gpuIndex` of a worker (-1: its CPU). */
export function planChallenge(worker: WorkerRecord, gpuIndex: number, options: { maxN: number; cpuDeadlineMs: number; allowanceMs: number }): ChallengePlan {
  const gpu = gpuIndex >= 0 ? worker.hardware.gpus[gpuIndex] : undefined;
  if (!gpu) return { n: CPU_N, precision: 'fp32', gpuIndex: -1, memoryCheckMib: 0, limitMs: options.cpuDeadlineMs };
  const family = familyOf(gpu.name);
  // An unknown model is held to the slowest device in the table.
  const tflops = expectedTflops(family) ?? Math.min(...throughput.values());
  const ideal = Math.cbrt(((TARGET_MS / 1000) * tflops * 1e12) / 2);
  const n = Math.max(512, Math.min(options.maxN, Math.round(ideal / 64) * 64));
  const expectedMs = ((2 * n ** 3) / (tflops * 1e12)) * 1000;
  // Deriving, copying and hashing n² values: about 10 ns each on a host.
  const limitMs = Math.round(expectedMs * TOLERANCE + options.allowanceMs + (n * n) / 100_000);
  return { n, precision: 'fp32', gpuIndex, ...(family && { family }), memoryCheckMib: Math.min(Math.floor(gpu.memoryTotalMib / 2), 16_384), expectedMs, limitMs };
}
