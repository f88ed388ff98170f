/**
 * Challenge cost: what the agent spends computing (TypeScript CPU path, and PyTorch on the CPU
 * through the same helper a GPU worker runs) beside what the scheduler spends verifying (8
 * revealed rows, 2 Freivalds rounds: error ≤ 2^-40 per row), per matrix size.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { multiplyOnCpu, newChallengeSeed, pickRows, rowHash, rowsRoot, verifyReveal } from '../src/common/challenge.js';

export interface ChallengeCost {
  n: number;
  typescriptMs?: number;
  torchCpuMs?: number;
  verifyMs: number;
}

async function torchCompute(seedHex: string, n: number): Promise<{ ms: number; hashes: string[] } | undefined> {
  const helper = fileURLToPath(new URL('../src/agent/challenge/torch_challenge.py', import.meta.url));
  const child = spawn('/usr/bin/python3', [helper], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const ask = (req: object): Promise<Record<string, unknown>> => new Promise((resolve) => {
    lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
    child.stdin.write(JSON.stringify(req) + '\n');
  });
  try {
    await ask({ op: 'probe' });
    const answer = await ask({ op: 'challenge', seed: seedHex, n, precision: 'fp32', device: 'cpu', memory_mib: 0 });
    return { ms: answer.compute_ms as number, hashes: answer.hashes as string[] };
  } catch {
    return undefined;
  } finally {
    child.kill();
  }
}

export async function challengeCost(n: number): Promise<ChallengeCost> {
  const seed = newChallengeSeed();
  let typescriptMs: number | undefined;
  let hashes: Buffer[] | undefined;
  let rows: Float64Array[] | undefined;
  if (n <= 2048) {
    const t = process.hrtime.bigint();
    rows = (await multiplyOnCpu(seed, n, Date.now() + 600_000))!;
    typescriptMs = Number(process.hrtime.bigint() - t) / 1e6;
    hashes = rows.map((r) => rowHash(r, 'fp32'));
  }
  const torch = await torchCompute(seed.toString('hex'), n);
  if (!hashes && torch) hashes = torch.hashes.map((h) => Buffer.from(h, 'hex'));
  const asked = pickRows(n, 8);
  // Revealed rows: from the TypeScript product, or recomputed for the asked rows only.
  const revealed = asked.map((index) => ({ index, values: rows ? Array.from(rows[index]!) : [] }));
  let verifyMs = NaN;
  if (hashes && rows) {
    const t = process.hrtime.bigint();
    const verdict = verifyReveal(seed, n, 'fp32', rowsRoot(hashes), asked, revealed, hashes, 2);
    verifyMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (!verdict.ok) throw new Error(`bench answer failed: ${verdict.reason}`);
  }
  return { n, ...(typescriptMs !== undefined && { typescriptMs }), ...(torch && { torchCpuMs: torch.ms }), verifyMs };
}
