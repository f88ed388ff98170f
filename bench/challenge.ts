/**
 * Challenge benchmarks:
 *
 *   per table row   the work and limit of a challenge for that model (RTT p99 50 ms, host
 *                   allowance 200 ms), the throughput a pass proves and its ratio to the row's
 *                   rate (target ≥ 0.5), and how long a CPU pretending to be that GPU needs —
 *                   this machine's PyTorch fp32 and the 16-vCPU host of the H200 fixture — beside
 *                   the limit
 *   verify cost     one revealed GPU-sized tile (64×2048, K = 1024) checked with 2 Freivalds rounds
 *   heartbeats      gRPC round trips to a server on this event loop: idle, while 100 tile
 *                   verifications run in the scheduler's worker threads, and (the baseline) while
 *                   the same 100 run on the event loop itself, as before
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { answerOnCpu, newChallengeSeed, verifyTile, type ChallengeShape, type RevealedTile } from '../src/common/challenge.js';
import { bindServer, createServer, shutdownServer } from '../src/common/grpc.js';
import { compileThroughputTable, planGpuChallenge } from '../src/scheduler/trust/sizing.js';
import { VerifyPool } from '../src/scheduler/trust/verify-pool.js';

/** CPU_16_VCPU_TFLOPS: PyTorch fp32 matmul on the fixture's 16-vCPU host (test/fixtures/nvidia-smi/h200/fp64-and-cpu-calibration.txt). */
const CPU_16_VCPU_TFLOPS = 0.933;
const GPU_TILE: ChallengeShape = { inner: 1024, tileRows: 64, tileCols: 2048, rowTiles: 1, colTiles: 2, leafBands: 16 };

export interface RowFigures {
  family: string;
  basis: string;
  achievableTflops: number;
  workTflop: number;
  limitMs: number;
  provenTflops: number;
  ratio: number;
  cheatHereMs: number;
  cheat16Ms: number;
}

/** torchCpuTflops measures this machine's PyTorch CPU rate on the challenge kernel (the cheat's best tool here). */
export async function torchCpuTflops(): Promise<number | undefined> {
  const helper = fileURLToPath(new URL('../src/agent/challenge/torch_challenge.py', import.meta.url));
  const child = spawn('/usr/bin/python3', [helper], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const ask = (req: object): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
      child.stdin.write(JSON.stringify(req) + '\n');
    });
  try {
    const shape = { inner: 1024, tile_rows: 64, tile_cols: 2048, row_tiles: 16, col_tiles: 4, leaf_bands: 16 };
    await ask({ op: 'challenge', id: 'warm', seed: '00', ...shape, row_tiles: 2, deadline_ms: 600_000, device: 'cpu' });
    const answer = await ask({ op: 'challenge', id: 'c', seed: newChallengeSeed().toString('hex'), ...shape, deadline_ms: 600_000, device: 'cpu' });
    const flops = 2 * 16 * 64 * 4 * 2048 * 1024;
    return flops / (Number(answer.compute_ms) / 1000) / 1e12;
  } catch {
    return undefined;
  } finally {
    child.kill();
  }
}

/** tableFigures plans a challenge for every row and sets the cheats' times beside its limit. */
export function tableFigures(hereTflops: number): RowFigures[] {
  const table = compileThroughputTable();
  return [...table.values()].map((row) => {
    const outcome = planGpuChallenge(0, `NVIDIA ${row.family}`, 'GPU-1', { table, rttP99Ms: 50, hostAllowanceMs: 200, cpuDeadlineMs: 10_000 });
    if (!outcome.ok) throw new Error(outcome.reason);
    const { plan } = outcome;
    return {
      family: row.family,
      basis: row.basis,
      achievableTflops: row.achievableTflops,
      workTflop: plan.work / 1e12,
      limitMs: plan.limitMs,
      provenTflops: plan.provenTflops!,
      ratio: plan.provenTflops! / row.achievableTflops,
      cheatHereMs: (plan.work / (hereTflops * 1e12)) * 1000,
      cheat16Ms: (plan.work / (CPU_16_VCPU_TFLOPS * 1e12)) * 1000,
    };
  });
}

async function honestTile(): Promise<{ seed: Buffer; root: Buffer; tile: RevealedTile }> {
  const seed = newChallengeSeed();
  const answer = (await answerOnCpu(seed, GPU_TILE, Date.now() + 600_000))!;
  return { seed, root: answer.root, tile: answer.reveal({ rowTile: 0, colTile: 1 }) };
}

/** verifyCostMs times one GPU-sized tile check (2 rounds) on this thread. */
export async function verifyCostMs(): Promise<number> {
  const { seed, root, tile } = await honestTile();
  verifyTile(seed, GPU_TILE, root, tile, 2);
  const runs = 10;
  const started = performance.now();
  for (let i = 0; i < runs; i++) if (!verifyTile(seed, GPU_TILE, root, tile, 2).ok) throw new Error('bench tile failed');
  return (performance.now() - started) / runs;
}

export interface HeartbeatFigures {
  idleP99Ms: number;
  threadsP99Ms: number;
  threadsWallMs: number;
  inlineP99Ms: number;
  inlineWallMs: number;
}

/** heartbeatFigures: gRPC health-check round trips every 10 ms to a server on this event loop, under three loads. */
export async function heartbeatFigures(verifications = 100): Promise<HeartbeatFigures> {
  const { server } = createServer([]);
  const address = await bindServer(server, '127.0.0.1:0');
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const check = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      client.makeUnaryRequest('/grpc.health.v1.Health/Check', (x: Buffer) => x, (x: Buffer) => x, Buffer.alloc(0), (err) => (err ? reject(err) : resolve(performance.now() - started)));
    });
  const during = async (load: () => Promise<void>): Promise<{ p99: number; wallMs: number }> => {
    const samples: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        samples.push(await check());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const started = performance.now();
    await load();
    const wallMs = performance.now() - started;
    running = false;
    await probe;
    samples.sort((a, b) => a - b);
    return { p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!, wallMs };
  };
  const { seed, root, tile } = await honestTile();
  const pool = new VerifyPool();
  try {
    await check();
    const idle = await during(() => new Promise((r) => setTimeout(r, 1_000)));
    const threads = await during(async () => {
      await Promise.all(Array.from({ length: verifications }, () => pool.verify(seed, GPU_TILE, root, tile, 2)));
    });
    const inline = await during(async () => {
      for (let i = 0; i < verifications; i++) {
        verifyTile(seed, GPU_TILE, root, tile, 2);
        // Yield between checks as an async handler would; each check still holds the loop for its whole length.
        await new Promise((r) => setImmediate(r));
      }
    });
    return { idleP99Ms: idle.p99, threadsP99Ms: threads.p99, threadsWallMs: threads.wallMs, inlineP99Ms: inline.p99, inlineWallMs: inline.wallMs };
  } finally {
    await pool.close();
    client.close();
    await shutdownServer(server);
  }
}
