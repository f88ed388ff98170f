/**
 * adversary-agent: Tessera agents that cheat on compute challenges, run as their own process by
 * the trust suite: `node --import tsx test/support/adversary-agent.ts <mode> <flags…>`.
 *
 *   wrong-tile  computes honestly on the CPU, then reveals tiles with one entry changed
 *   replay      answers every challenge after the first with the first one's commitment
 *   cpu-torch   claims the GPU named by --claim (a made-up UUID) and answers with PyTorch on the
 *               CPU, reporting "cuda:0" — the patched helper of a fraudster without the card
 *   relay       runs --count workers in this one process, each claiming --claim with its own
 *               made-up UUID, all answered by one solver, one challenge at a time
 *   dodge       exits the moment a challenge arrives (the test starts it again)
 *   output-flood  runs shards honestly but ignores the output cap the scheduler sends in
 *               AssignShard, keeping only its own (--max-shard-output-bytes, default 1 GiB here):
 *               what an agent patched to flood the scheduler's etcd does (the limits suite)
 *
 * --claim MODEL gives every agent of the process one made-up GPU of that model; --claims A,B,…
 * runs one agent per model instead.
 *
 * Each is the real agent with its challenge methods overridden — what a fraudster patching the
 * agent does.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Agent } from '../../src/agent/agent.js';
import { ShardRunner } from '../../src/agent/runner.js';
import { parseAgentConfig } from '../../src/agent/config.js';
import { discoverHardware } from '../../src/agent/discovery/index.js';
import { answerOnCpu, type ChallengeCommitment, type ChallengeRequest, type CpuAnswer, type RevealRequest, type TileAnswer } from '../../src/common/challenge.js';
import type { Gpu, Hardware } from '../../src/common/hardware.js';
import { createLogger } from '../../src/common/logger.js';
import { REPO_ROOT } from './fixtures.js';

const [mode, ...args] = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

/** claimedGpu is a made-up device of the named model, with a UUID no other worker has. */
function claimedGpu(name: string): Gpu {
  return { vendor: 'nvidia', uuid: `GPU-${randomUUID()}`, name, memoryTotalMib: 81_559, serial: '', pciBusId: '00000000:01:00.0', virtualizationMode: 'none', computeCapability: '9.0', migMode: 'disabled', migDevices: [], architecture: '', coreCount: 0 };
}

/** Solver: one CPU answering for every worker of this process, one challenge at a time. */
let solverQueue: Promise<unknown> = Promise.resolve();
function solve<T>(work: () => Promise<T>): Promise<T> {
  const next = solverQueue.then(work);
  solverQueue = next.catch(() => undefined);
  return next;
}

/** TorchOnCpu is the real helper, started without CUDA and told to compute on the CPU; killed when it runs past the deadline. */
class TorchOnCpu {
  private readonly child = spawn('/usr/bin/python3', [join(REPO_ROOT, 'src/agent/challenge/torch_challenge.py')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, CUDA_VISIBLE_DEVICES: '' } });
  private readonly waiting: Array<(v: Record<string, unknown>) => void> = [];
  dead = false;
  constructor() {
    createInterface({ input: this.child.stdout }).on('line', (l) => this.waiting.shift()?.(JSON.parse(l) as Record<string, unknown>));
    this.child.stdin.on('error', () => undefined);
  }
  ask(request: object, timeoutMs = 60_000): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.dead = true;
        this.child.kill('SIGKILL');
        resolve({ error: `the CPU did not finish within ${timeoutMs} ms`, kind: 'deadline' });
      }, timeoutMs);
      this.waiting.push((v) => (clearTimeout(timer), resolve(v)));
      this.child.stdin.write(JSON.stringify(request) + '\n');
    });
  }
}

class CheatingAgent extends Agent {
  private readonly answers = new Map<string, CpuAnswer>();
  private first: ChallengeCommitment | undefined;
  private torch: TorchOnCpu | undefined;

  protected override async answerChallenge(challenge: ChallengeRequest): Promise<ChallengeCommitment> {
    const { challengeId } = challenge;
    if (mode === 'dodge') process.exit(3);
    if (mode === 'replay' && this.first) return { ...this.first, challengeId };
    if (mode === 'cpu-torch') {
      if (!this.torch || this.torch.dead) this.torch = new TorchOnCpu();
      const s = challenge.shape;
      const answer = await this.torch.ask({ op: 'challenge', id: challengeId, seed: challenge.seed.toString('hex'), inner: s.inner, tile_rows: s.tileRows, tile_cols: s.tileCols, row_tiles: s.rowTiles, col_tiles: s.colTiles, leaf_bands: s.leafBands, deadline_ms: challenge.deadlineMs, device: 'cpu' }, challenge.deadlineMs);
      if (typeof answer.error === 'string') return { challengeId, error: answer.error, errorKind: String(answer.kind), device: 'cuda:0' };
      return { challengeId, root: Buffer.from(String(answer.root), 'hex'), computeMs: 1, device: 'cuda:0 NVIDIA (torch)' };
    }
    const answer = await solve(() => answerOnCpu(challenge.seed, challenge.shape, Date.now() + challenge.deadlineMs + 60_000));
    this.answers.set(challengeId, answer!);
    const commit = { challengeId, root: answer!.root, computeMs: 1, device: 'cuda:0' };
    this.first ??= commit;
    return commit;
  }

  protected override async *revealTiles(request: RevealRequest): AsyncIterable<TileAnswer> {
    const answer = this.answers.get(request.challengeId);
    for (const t of request.tiles) {
      if (mode === 'cpu-torch') {
        const r = await this.torch!.ask({ op: 'tile', id: request.challengeId, row_tile: t.rowTile, col_tile: t.colTile });
        yield { challengeId: request.challengeId, rowTile: t.rowTile, colTile: t.colTile, values: Buffer.from(String(r.values), 'base64'), leaf: Buffer.from(String(r.leaf), 'base64'), proof: (r.proof as string[]).map((p) => Buffer.from(p, 'base64')) };
        continue;
      }
      if (!answer) {
        yield { challengeId: request.challengeId, rowTile: t.rowTile, colTile: t.colTile, error: 'lost it' };
        continue;
      }
      const tile = answer.reveal(t);
      if (mode === 'wrong-tile') {
        // One entry off by one, in the middle of the range, so the max/min fingerprint still matches.
        const values = Buffer.from(tile.values);
        for (let i = 0; i < values.length / 2; i++) {
          const v = values.readInt16LE(i * 2);
          if (Math.abs(v) <= 2) {
            values.writeInt16LE(v + 1, i * 2);
            break;
          }
        }
        yield { challengeId: request.challengeId, ...tile, values };
      } else {
        yield { challengeId: request.challengeId, ...tile };
      }
    }
  }
}

if (mode === 'output-flood') {
  // The one patched method: every assignment reaches the runner as if the scheduler had set no cap.
  const assign = ShardRunner.prototype.assign; // eslint-disable-line @typescript-eslint/unbound-method
  ShardRunner.prototype.assign = function (this: ShardRunner, message) {
    assign.call(this, { ...message, maxOutputBytes: 0 });
  };
}

const logger = createLogger('adversary');
// --claims "A,B": one agent per claimed model in this process (named name-0, name-1, …).
const claims = flag('claims')?.split(',');
const claim = flag('claim');
const count = claims?.length ?? Number(flag('count') ?? 1);
const base = await discoverHardware({ nvidiaSmi: '/nonexistent/nvidia-smi' });
const agents = Array.from({ length: count }, (_, i) => {
  const model = claims?.[i] ?? claim;
  const hardware: Hardware = model ? { ...base, gpus: [claimedGpu(model)] } : base;
  const stateDir = count > 1 ? `${flag('state-dir')!}-${i}` : flag('state-dir');
  const name = count > 1 ? `${flag('name')!}-${i}` : flag('name');
  const config = parseAgentConfig({ scheduler: flag('scheduler'), joinToken: flag('join-token'), stateDir, name, metricsListen: '127.0.0.1:0', backoffInitialMs: '100ms', backoffMaxMs: '1s', python: '/nonexistent/python', insecure: process.argv.includes('--insecure'),
    // Shards run only in the output-flood mode; its agent takes labels, a uid pool and an output cap of its own.
    ...(mode === 'output-flood' && { labels: flag('labels'), sandboxUidBase: Number(flag('sandbox-uid-base') ?? 210_000), maxShardOutputBytes: Number(flag('max-shard-output-bytes') ?? 1024 ** 3) }),
  });
  return new CheatingAgent(config, logger.child({ agent: name }), hardware);
});
process.once('SIGTERM', () => void Promise.all(agents.map((a) => a.stop())));
await Promise.all(agents.map((a) => a.run()));
