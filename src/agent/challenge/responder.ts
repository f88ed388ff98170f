/**
 * responder: the agent's side of a compute challenge. On a claimed GPU it uses a warm PyTorch
 * helper (torch_challenge.py) when the machine has one that sees CUDA; otherwise it computes on
 * the CPU in TypeScript — honestly saying "cpu" — which is what a CPU pretending to be a GPU looks
 * like to the scheduler: too slow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ComputeChallenge } from '../../gen/tessera/v1/ComputeChallenge.js';
import type { ChallengeCommitWire } from '../../gen/tessera/v1/ChallengeCommit.js';
import type { ChallengeRowsWire } from '../../gen/tessera/v1/ChallengeRows.js';
import type { RevealRows } from '../../gen/tessera/v1/RevealRows.js';
import { multiplyOnCpu, rowHash, rowsRoot, type Precision } from '../../common/challenge.js';
import type { Logger } from '../../common/logger.js';

/** CPU_MAX_N: beyond this the TypeScript path would take minutes and gigabytes; it declines instead. */
export const CPU_MAX_N = 2048;
const HELPER = fileURLToPath(new URL('./torch_challenge.py', import.meta.url));

interface Held {
  id: string;
  rows: (indices: number[]) => Promise<number[][]>;
  hashes: Buffer[];
}

/** TorchHelper is the warm Python process. */
class TorchHelper {
  private readonly child: ChildProcess;
  private readonly lines: Interface;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(python: string) {
    this.child = spawn(python, [HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! });
  }

  ask<T>(request: object): Promise<T> {
    const next = this.queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          const onLine = (line: string): void => {
            this.lines.off('line', onLine);
            try {
              resolve(JSON.parse(line) as T);
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          };
          this.lines.on('line', onLine);
          this.child.stdin!.write(JSON.stringify(request) + '\n');
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.child.kill();
  }
}

/** ChallengeResponder answers ComputeChallenge and RevealRows. */
export class ChallengeResponder {
  private helper: TorchHelper | undefined;
  private helperCuda = false;
  private held: Held | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly python: string | undefined,
  ) {}

  /** prepare starts the PyTorch helper when GPUs are claimed and it can see CUDA. */
  async prepare(claimsGpus: boolean): Promise<void> {
    if (!claimsGpus || !this.python || this.helper) return;
    try {
      const helper = new TorchHelper(this.python);
      const probe = await Promise.race([helper.ask<{ cuda: boolean; devices: number; torch: string }>({ op: 'probe' }), new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('probe timed out')), 60_000))]);
      this.helper = helper;
      this.helperCuda = probe.cuda;
      this.logger.info({ torch: probe.torch, cuda: probe.cuda, devices: probe.devices }, 'challenge runtime ready');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'no PyTorch runtime for GPU challenges; challenges run on the CPU');
    }
  }

  close(): void {
    this.helper?.close();
  }

  async commit(challenge: ComputeChallenge): Promise<ChallengeCommitWire> {
    const { challengeId, n } = challenge;
    const precision = challenge.precision as Precision;
    const deadlineAt = Date.now() + challenge.deadlineMs;
    if (challenge.gpuIndex >= 0 && this.helper && this.helperCuda) {
      const answer = await this.helper.ask<{ root: string; hashes: string[]; compute_ms: number; device: string; memory_checked_mib: number; memory_error: string }>({
        op: 'challenge',
        seed: challenge.seed.toString('hex'),
        n,
        precision,
        device: `cuda:${challenge.gpuIndex}`,
        memory_mib: challenge.memoryCheckMib,
      });
      const helper = this.helper;
      this.held = { id: challengeId, hashes: answer.hashes.map((h) => Buffer.from(h, 'hex')), rows: (rows) => helper.ask<{ rows: number[][] }>({ op: 'rows', rows }).then((r) => r.rows) };
      return { challengeId, rowsRoot: Buffer.from(answer.root, 'hex'), computeMs: Math.round(answer.compute_ms), device: answer.device, memoryCheckedMib: answer.memory_checked_mib, memoryError: answer.memory_error };
    }
    const memoryError = challenge.memoryCheckMib > 0 ? 'no GPU runtime on this agent: device memory cannot be checked' : '';
    if (n > CPU_MAX_N) return { challengeId, error: `n=${n} is beyond the CPU path (no GPU runtime here)`, device: 'cpu (tessera)', memoryError };
    const started = Date.now();
    const product = await multiplyOnCpu(challenge.seed, n, deadlineAt);
    if (!product) return { challengeId, error: `gave up: no answer within ${challenge.deadlineMs} ms on the CPU`, device: 'cpu (tessera)', memoryError };
    const computeMs = Date.now() - started;
    const hashes = product.map((row) => rowHash(row, precision));
    this.held = { id: challengeId, hashes, rows: (rows) => Promise.resolve(rows.map((i) => Array.from(product[i] ?? []))) };
    return { challengeId, rowsRoot: rowsRoot(hashes), computeMs, device: 'cpu (tessera)', memoryError };
  }

  async reveal(request: RevealRows): Promise<ChallengeRowsWire> {
    const held = this.held;
    if (!held || held.id !== request.challengeId) return { challengeId: request.challengeId, rows: [], rowHashes: [] };
    const values = await held.rows(request.rows);
    return { challengeId: request.challengeId, rows: request.rows.map((index, k) => ({ index, values: values[k] ?? [] })), rowHashes: held.hashes };
  }
}
