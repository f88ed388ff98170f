import { describe, expect, it } from 'vitest';
import { deriveBlock, FINGERPRINT_BYTES, fingerprintOf, matrixKey, merkleLevels, merkleProof, multiplyTile, pickTiles, verifyTile, type ChallengeShape } from '../../src/common/challenge.js';
import { compileThroughputTable, MIN_COMPUTE_MS, planCpuChallenge, planGpuChallenge, TOLERANCE } from '../../src/scheduler/trust/sizing.js';

const table = compileThroughputTable();
const options = (rttP99Ms: number) => ({ table, rttP99Ms, hostAllowanceMs: 200, cpuDeadlineMs: 10_000 });
/** CPU_16_VCPU_TFLOPS: PyTorch fp32 matmul on the 16-vCPU host of the H200 fixture (test/fixtures/nvidia-smi/h200/fp64-and-cpu-calibration.txt). */
const CPU_16_VCPU_TFLOPS = 0.933;

describe('challenge sizing', () => {
  it('makes every row of the table prove at least half its rate, whatever the round trip', () => {
    expect(table.size).toBeGreaterThanOrEqual(20);
    for (const row of table.values()) {
      for (const rtt of [0, 20, 100, 400, 1_000]) {
        const outcome = planGpuChallenge(0, `NVIDIA ${row.family}`, 'GPU-1', options(rtt));
        if (!outcome.ok) throw new Error(outcome.reason);
        const { plan } = outcome;
        expect(plan.family).toBe(row.family);
        expect(plan.provenTflops! / row.achievableTflops, `${row.family} at ${rtt} ms`).toBeGreaterThanOrEqual(0.5);
        // The work needs at least half a second on the claimed model, and the limit allows the tolerance over it.
        expect(plan.expectedMs!).toBeGreaterThanOrEqual(MIN_COMPUTE_MS);
        expect(plan.limitMs).toBeGreaterThanOrEqual(plan.expectedMs! * TOLERANCE + rtt + 200);
        expect(plan.shape.inner).toBeLessThanOrEqual(2048);
      }
    }
  });

  it('fails a 16-vCPU host claiming any GPU in the table by a wide margin', () => {
    for (const row of table.values()) {
      const { plan } = planGpuChallenge(0, `NVIDIA ${row.family}`, 'GPU-1', options(50)) as { ok: true; plan: { work: number; limitMs: number } };
      const cheatMs = (plan.work / (CPU_16_VCPU_TFLOPS * 1e12)) * 1000;
      expect(cheatMs / plan.limitMs, row.family).toBeGreaterThan(4);
    }
  });

  it('leaves unknown models and unmeasurable links unverified, with the reason', () => {
    expect(planGpuChallenge(0, 'NVIDIA GH200 480GB', 'GPU-1', options(50))).toEqual({ ok: false, reason: 'cannot verify NVIDIA GH200 480GB: no throughput row for this model (see docs/trust.md)' });
    expect(planGpuChallenge(0, 'NVIDIA H100 80GB HBM3', 'GPU-1', options(3_000))).toMatchObject({ ok: false, reason: expect.stringContaining('round trip p99 3000 ms is too long') });
  });

  it('gives a CPU-only worker a small challenge that checks the answer, not the speed', () => {
    const plan = planCpuChallenge({ cpuDeadlineMs: 10_000 });
    expect(plan.gpuIndex).toBe(-1);
    expect(plan.work).toBeLessThan(1e8);
    expect(plan.provenTflops).toBeUndefined();
  });

  it('cites a source for every row, and says which rows are measured', () => {
    for (const row of table.values()) expect(row.source.length).toBeGreaterThan(40);
    expect(table.get('H200')!.basis).toBe('measured');
    expect(table.get('RTX 4090')!.basis).toBe('estimated');
  });
});

describe('a worker that computes 90 % of the work', () => {
  it('is caught at the documented rate, 1 − 0.9^8 ≈ 57 % per challenge', () => {
    // The cheater computes 90 % of the tiles and commits to guessed fingerprints (the most likely
    // max and min) for the rest; asked for a tile, it computes that one tile honestly.
    const shape: ChallengeShape = { inner: 32, tileRows: 4, tileCols: 16, rowTiles: 20, colTiles: 10, leafBands: 4 };
    const seed = Buffer.alloc(32, 3);
    const a = (p: number) => deriveBlock(matrixKey(seed, 'A'), p * 4, 4, 0, 32);
    const b = (q: number) => deriveBlock(matrixKey(seed, 'B'), 0, 32, q * 16, 16);
    const tile = (p: number, q: number) => multiplyTile(a(p), b(q), 4, 32, 16);
    const skipped = new Set(pickTiles(shape, 20).map((t) => t.rowTile * 10 + t.colTile));
    const prints = Buffer.alloc(200 * FINGERPRINT_BYTES);
    for (let i = 0; i < 200; i++) {
      const f = skipped.has(i) ? { max: 9, min: -9 } : fingerprintOf(tile(Math.floor(i / 10), i % 10));
      prints.writeInt16LE(f.max, i * 4);
      prints.writeInt16LE(f.min, i * 4 + 2);
    }
    const leaves = Array.from({ length: 5 }, (_, j) => prints.subarray(j * 160, (j + 1) * 160));
    const levels = merkleLevels(leaves);
    const root = levels.at(-1)![0]!;
    let caught = 0;
    const trials = 300;
    for (let i = 0; i < trials; i++) {
      const failed = pickTiles(shape, 8).some(({ rowTile, colTile }) => {
        const t = tile(rowTile, colTile);
        const j = Math.floor(rowTile / 4);
        return !verifyTile(seed, shape, root, { rowTile, colTile, values: Buffer.from(t.buffer), leaf: Buffer.from(leaves[j]!), proof: merkleProof(levels, j) }, 1).ok;
      });
      if (failed) caught++;
    }
    const expected = 1 - (1 - 20 / 200) ** 8;
    // Binomial sd ≈ 2.9 % at 300 trials; a guessed fingerprint that happens to be right lowers the rate a little.
    expect(Math.abs(caught / trials - expected)).toBeLessThan(0.12);
  });
});
