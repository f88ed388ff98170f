/**
 * responder: the agent's side of a compute challenge. Each claimed GPU gets its own warm PyTorch
 * helper (torch_challenge.py) pinned to that GPU by UUID, so the GPUs of a worker answer their
 * simultaneous challenges in parallel, each on the device it names. A worker without a runtime
 * says so ("no-runtime") and stays unverified; a helper that crashes or hangs is reported
 * ("helper-failed") and started afresh for the next challenge. A worker without GPUs answers its
 * small CPU challenge in TypeScript.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { answerOnCpu, shapeProblem, type ChallengeCommitment, type ChallengeRequest, type RevealedTile, type RevealRequest, type TileAnswer, type TileRef } from '../../common/challenge.js';
import type { Gpu } from '../../common/hardware.js';
import type { Logger } from '../../common/logger.js';

const HELPER = fileURLToPath(new URL('./torch_challenge.py', import.meta.url));
/** PROBE_TIMEOUT_MS: importing torch and creating a CUDA context takes 5 s cold on an H200 host; allow for slower ones. */
const PROBE_TIMEOUT_MS = 120_000;
/** HANG_GRACE_MS: a helper silent this long past a challenge's deadline is hung: it is killed and restarted. */
const HANG_GRACE_MS = 10_000;
/** HELD_CHALLENGES: answers kept for reveals; older ones are forgotten. */
const HELD_CHALLENGES = 16;

/** HelperFailed is thrown when a helper exits, hangs or cannot be started. */
class HelperFailed extends Error {
  override name = 'HelperFailed';
}

/** TorchHelper is one warm Python process bound to one GPU. */
class TorchHelper {
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }> = [];
  private exited: string | undefined;

  constructor(python: string, gpuUuid: string) {
    this.child = spawn(python, [HELPER], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: gpuUuid },
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const next = this.waiting.shift();
      if (!next) return;
      try {
        next.resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        next.reject(new HelperFailed(`unreadable answer from the challenge helper: ${line.slice(0, 200)}`));
      }
    });
    const fail = (why: string): void => {
      this.exited ??= why;
      for (const w of this.waiting.splice(0)) w.reject(new HelperFailed(why));
    };
    this.child.on('error', (err) => fail(`challenge helper could not start: ${err.message}`));
    this.child.on('exit', (code, signal) => fail(`challenge helper exited (${signal ?? `code ${code}`})`));
    this.child.stdin!.on('error', () => undefined);
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** ask sends one request; answers come back in order. Rejects when the helper dies or stays silent past `timeoutMs`. */
  ask(request: object, timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new HelperFailed(this.exited));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(new HelperFailed(`challenge helper did not answer within ${timeoutMs} ms: killed, a new one starts for the next challenge`));
      }, timeoutMs);
      this.waiting.push({
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin!.write(JSON.stringify(request) + '\n');
    });
  }

  close(): void {
    this.exited ??= 'closed';
    this.child.kill('SIGKILL');
  }
}

interface Held {
  reveal(tile: TileRef): Promise<RevealedTile>;
}

/** ChallengeResponder answers ComputeChallenge and RevealTiles. */
export class ChallengeResponder {
  private readonly helpers = new Map<string, Promise<TorchHelper>>();
  /** Helpers that answered their probe and warm-up, by GPU UUID (check `alive`: one may have died since). */
  private readonly ready = new Map<string, TorchHelper>();
  /** Why GPUs cannot be challenged here, when no runtime was found (said once per challenge, never hidden). */
  private noRuntime: string | undefined;
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly logger: Logger,
    private readonly python: string | undefined,
  ) {}

  /**
   * prepare starts and warms one helper per claimed GPU in the background, so the first challenge
   * does not pay for CUDA start-up and the agent connects without waiting for PyTorch to import.
   */
  prepare(gpus: readonly Gpu[]): void {
    if (gpus.length === 0) return;
    if (!this.python) {
      this.noRuntime = 'cannot verify: no Python with PyTorch configured (--python)';
      return;
    }
    for (const gpu of gpus) this.helperFor(gpu.uuid).catch((err: unknown) => this.logger.warn({ gpu: gpu.uuid, err: (err as Error).message }, 'no challenge runtime for this GPU'));
  }

  close(): void {
    for (const h of this.helpers.values()) void h.then((x) => x.close(), () => undefined);
    this.helpers.clear();
  }

  /** helperFor returns the GPU's warm helper, starting one (once, however many ask) when there is none or it died. */
  private helperFor(uuid: string): Promise<TorchHelper> {
    if (!this.python) return Promise.reject(new HelperFailed(this.noRuntime ?? 'cannot verify: no Python with PyTorch configured (--python)'));
    const existing = this.helpers.get(uuid);
    if (existing) {
      return existing.then(
        (h) => (h.alive ? h : this.startHelper(uuid)),
        () => this.startHelper(uuid),
      );
    }
    return this.startHelper(uuid);
  }

  private startHelper(uuid: string): Promise<TorchHelper> {
    this.ready.delete(uuid);
    const started = this.launch(uuid);
    this.helpers.set(uuid, started);
    return started;
  }

  private async launch(uuid: string): Promise<TorchHelper> {
    const helper = new TorchHelper(this.python!, uuid);
    const probe = await helper.ask({ op: 'probe' }, PROBE_TIMEOUT_MS).catch((err: unknown) => ({ error: (err as Error).message }));
    if ('error' in probe || probe.cuda !== true) {
      helper.close();
      this.noRuntime = 'error' in probe ? `cannot verify: ${String(probe.error)}` : `cannot verify: PyTorch ${String(probe.torch)} sees no CUDA device for GPU ${uuid}`;
      throw new HelperFailed(this.noRuntime);
    }
    const warm = await helper.ask({ op: 'warmup', device: 'cuda' }, PROBE_TIMEOUT_MS);
    this.noRuntime = undefined;
    this.ready.set(uuid, helper);
    this.logger.info({ gpu: uuid, device: probe.device, torch: probe.torch, warmupMs: Math.round(Number(warm.ms)) }, 'challenge runtime ready');
    return helper;
  }

  async commit(challenge: ChallengeRequest, gpus: readonly Gpu[]): Promise<ChallengeCommitment> {
    const { challengeId, shape } = challenge;
    const problem = shapeProblem(shape);
    if (problem) return { challengeId, error: `refused: ${problem}`, errorKind: 'helper-failed' };
    if (challenge.gpuIndex < 0) return this.commitOnCpu(challenge);
    const gpu = gpus[challenge.gpuIndex];
    if (!gpu || (challenge.gpuUuid && gpu.uuid !== challenge.gpuUuid)) return { challengeId, error: `no GPU ${challenge.gpuIndex} with UUID ${challenge.gpuUuid} here`, errorKind: 'helper-failed' };
    // A helper still importing PyTorch (or restarting after it died) would blow the scheduler's
    // clock: say so, start one, and be asked again later.
    const helper = this.ready.get(gpu.uuid);
    if (!helper?.alive) {
      this.helperFor(gpu.uuid).catch(() => undefined);
      return { challengeId, error: this.noRuntime ?? `cannot verify yet: the challenge runtime for GPU ${gpu.uuid} is still starting`, errorKind: 'no-runtime', device: 'none' };
    }
    try {
      const answer = await helper.ask({ op: 'challenge', id: challengeId, seed: challenge.seed.toString('hex'), inner: shape.inner, tile_rows: shape.tileRows, tile_cols: shape.tileCols, row_tiles: shape.rowTiles, col_tiles: shape.colTiles, leaf_bands: shape.leafBands, deadline_ms: challenge.deadlineMs, device: 'cuda' }, challenge.deadlineMs + HANG_GRACE_MS);
      if (typeof answer.error === 'string') return { challengeId, error: answer.error, errorKind: typeof answer.kind === 'string' ? answer.kind : 'helper-failed', device: gpu.uuid };
      this.hold(challengeId, {
        reveal: async (tile) => {
          const t = await helper.ask({ op: 'tile', id: challengeId, row_tile: tile.rowTile, col_tile: tile.colTile }, 60_000);
          if (typeof t.error === 'string') throw new HelperFailed(t.error);
          return { rowTile: tile.rowTile, colTile: tile.colTile, values: Buffer.from(String(t.values), 'base64'), leaf: Buffer.from(String(t.leaf), 'base64'), proof: (t.proof as string[]).map((p) => Buffer.from(p, 'base64')) };
        },
      });
      return { challengeId, root: Buffer.from(String(answer.root), 'hex'), computeMs: Math.round(Number(answer.compute_ms)), device: String(answer.device).slice(0, 200) };
    } catch (err) {
      this.logger.warn({ challengeId, gpu: gpu.uuid, err: (err as Error).message }, 'challenge helper failed');
      return { challengeId, error: (err as Error).message, errorKind: 'helper-failed', device: gpu.uuid };
    }
  }

  private async commitOnCpu(challenge: ChallengeRequest): Promise<ChallengeCommitment> {
    const started = Date.now();
    const answer = await answerOnCpu(challenge.seed, challenge.shape, started + challenge.deadlineMs);
    if (!answer) return { challengeId: challenge.challengeId, error: `gave up: no answer within ${challenge.deadlineMs} ms on the CPU`, errorKind: 'deadline', device: 'cpu (tessera)' };
    this.hold(challenge.challengeId, { reveal: (tile) => Promise.resolve(answer.reveal(tile)) });
    return { challengeId: challenge.challengeId, root: answer.root, computeMs: Date.now() - started, device: 'cpu (tessera)' };
  }

  private hold(id: string, held: Held): void {
    this.held.set(id, held);
    if (this.held.size > HELD_CHALLENGES) this.held.delete(this.held.keys().next().value!);
  }

  /** reveal answers each asked tile in turn (one message per tile keeps messages small). */
  async *reveal(request: RevealRequest): AsyncGenerator<TileAnswer> {
    const held = this.held.get(request.challengeId);
    for (const tile of request.tiles) {
      if (!held) {
        yield { challengeId: request.challengeId, rowTile: tile.rowTile, colTile: tile.colTile, error: 'no such challenge held here' };
        continue;
      }
      try {
        yield { challengeId: request.challengeId, ...(await held.reveal(tile)) };
      } catch (err) {
        yield { challengeId: request.challengeId, rowTile: tile.rowTile, colTile: tile.colTile, error: (err as Error).message.slice(0, 300) };
      }
    }
    this.held.delete(request.challengeId);
  }
}
