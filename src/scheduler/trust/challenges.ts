/**
 * challenges: decides when a worker is challenged and checks the answers; what a round proves is
 * written through the trust records (records.ts).
 *
 * A challenge round challenges every device a worker claims at the same instant, each with its
 * own seed and a work size for its claimed model (sizing.ts), so one fast card cannot answer for
 * its neighbours one after the other. Each GPU that passes counts as supply on its own; the
 * worker is verified when all of them pass. Rounds run at connect (when the worker is not
 * verified for what it reports), after a hardware change, at once after a reconnect that cut a
 * round short, and periodically in cohorts: each cohort tick challenges a random share of the
 * online workers together, so one device cannot serve many claims inside one window. Never while
 * a worker runs a shard. Revealed tiles are checked in worker threads (verify-pool.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { leafBytesOf, newChallengeSeed, pickTiles, type ChallengeCommitment, type ChallengeRequest, type RevealRequest, type TileAnswer, type TileRef } from '../../common/challenge.js';
import type { Logger } from '../../common/logger.js';
import { hardwareHash, type ChallengeRecord, type TrustFlagRecord } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';
import type { TopologyView } from '../../store/topology-view.js';
import type { TrustStore } from '../../store/trust-store.js';
import { deviceIds, isPlaceholderId, virtualizationFlags } from './checks.js';
import { withFlags, type TrustRecords } from './records.js';
import { compileThroughputTable, planCpuChallenge, planGpuChallenge, type ChallengePlan, type ThroughputTable, type ThroughputTableFile } from './sizing.js';
import { VerifyPool } from './verify-pool.js';

/** TrustLink sends challenge messages to a connected agent, says whether it is busy and what its round trip is. */
export interface TrustLink {
  sendChallenge(workerId: string, challenge: ChallengeRequest): boolean;
  sendReveal(workerId: string, request: RevealRequest): boolean;
  busy(workerId: string): boolean;
  rttP99Ms(workerId: string): number | undefined;
  /** connected: the worker has a stream on this replica. */
  connected(workerId: string): boolean;
}

/** ChallengeOptions are the compiled challenge settings (the throughput table arrives compiled: loadThroughputTable). */
export interface ChallengeOptions {
  challengeIntervalMs: number;
  challengeDelayMs: number;
  freivaldsRounds: number;
  revealTiles: number;
  cpuChallengeDeadlineMs: number;
  challengeHostAllowanceMs: number;
  challengeDefaultRttMs: number;
  verifyThreads?: number | undefined;
}

/** ChallengeMetrics are observed per challenge. */
export interface ChallengeMetrics {
  challenges: { inc(labels: { outcome: string }): void };
  verifySeconds: { observe(seconds: number): void };
  roundTripSeconds: { observe(seconds: number): void };
}

/** Outcome of one device's challenge within a round. */
type DeviceOutcome = { kind: 'passed' } | { kind: 'failed'; reason: TrustFlagRecord['reason']; detail: string } | { kind: 'unverifiable'; detail: string };

interface Round {
  id: string;
  workerId: string;
  hardware: string;
  open: number;
  outcomes: Map<number, DeviceOutcome>;
  records: ChallengeRecord[];
  unverifiable: string[];
  /** The worker left before answering: it is challenged the moment it returns. */
  dodged?: boolean;
  /** When commitments were left unopened in the last 24 h, this round's included. */
  unopened?: number[];
}

interface Pending {
  id: string;
  round: Round;
  workerId: string;
  seed: Buffer;
  plan: ChallengePlan;
  gpuModel: string;
  sentAt: number;
  commit?: ChallengeCommitment;
  /** The committed root, once the commitment was well formed. */
  root?: Buffer;
  committedAt?: number;
  asked?: TileRef[];
  /** Tiles asked for; the device passes when this many verified. */
  expected: number;
  verified: number;
  verifyMs: number;
  timer: NodeJS.Timeout;
}

/** REPLAY_MEMORY: commitment roots remembered to catch an answer used twice. */
const REPLAY_MEMORY = 10_000;
/** REVEAL_TIMEOUT_MS: revealing a few tiles is quick; a slow reveal is a failed challenge. */
const REVEAL_TIMEOUT_MS = 30_000;
/** UNOPENED_ALLOWED: commitments a worker may leave unopened (a dropped link) per UNOPENED_WINDOW_MS before it is a wrong answer. */
const UNOPENED_ALLOWED = 2;
const UNOPENED_WINDOW_MS = 86_400_000;
/** VIEW_LAG_RETRY_MS: how soon a challenge for a worker the topology view does not show yet is retried. */
const VIEW_LAG_RETRY_MS = 500;
/** UNVERIFIABLE_RETRY_DELAYS: a round with unverifiable devices is retried after this many challenge delays (20 s by default). */
const UNVERIFIABLE_RETRY_DELAYS = 20;
/** COHORTS: each periodic tick challenges about 1/COHORTS of the online workers at the same instant. */
const COHORTS = 8;

/** ChallengeParts: what challenges need, built before them (the trust records first). */
export interface ChallengeParts {
  /** store holds device-id claims (who proved a GPU id first). */
  store: TrustStore;
  /** records receives every result: flags, proven devices, challenge events. */
  records: TrustRecords;
  topology: TopologyView;
  link: TrustLink;
  /** table is the throughput table challenges are sized from (loadThroughputTable). */
  table: ThroughputTable;
  options: ChallengeOptions;
  metrics: ChallengeMetrics;
  logger: Logger;
}

/** loadThroughputTable compiles the operator's throughput file, or the built-in table without one. */
export function loadThroughputTable(file: string | undefined): ThroughputTable {
  return compileThroughputTable(file ? (JSON.parse(readFileSync(file, 'utf8')) as ThroughputTableFile) : undefined);
}

/** Challenges plans and runs hardware challenges: rounds, their timers, replay memory and answer checks. */
export class Challenges {
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly seenRoots = new Map<string, string>();
  private readonly store: TrustStore;
  private readonly records: TrustRecords;
  private readonly topology: TopologyView;
  private readonly link: TrustLink;
  private readonly table: ThroughputTable;
  private readonly options: ChallengeOptions;
  private readonly metrics: ChallengeMetrics;
  private readonly logger: Logger;
  private readonly pool: VerifyPool;
  private cohortTimer: NodeJS.Timeout | undefined;
  /** unverifiableRetries: rounds in a row a worker could not be challenged, for the back-off. */
  private readonly unverifiableRetries = new Map<string, number>();

  constructor(parts: ChallengeParts) {
    ({ store: this.store, records: this.records, topology: this.topology, link: this.link, table: this.table, options: this.options, metrics: this.metrics, logger: this.logger } = parts);
    this.pool = new VerifyPool(this.options.verifyThreads);
    this.scheduleCohort();
  }

  stop(): void {
    clearTimeout(this.cohortTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    void this.pool.close();
  }

  /** onConnected schedules the worker's challenge if it needs one and runs the checks that need none. */
  onConnected(worker: WorkerRecord): void {
    // A worker that left in the middle of a round is challenged at once: dodging buys nothing.
    if (this.records.recordOf(worker.id)?.pendingAtDisconnect) this.schedule(worker.id, 0);
    else if (this.records.stateOf(worker) !== 'verified') this.schedule(worker.id, this.options.challengeDelayMs);
    this.records.enqueue(() => this.runChecks(worker));
  }

  onHardwareChanged(worker: WorkerRecord): void {
    this.logger.info({ workerId: worker.id }, 'hardware changed: the worker is unverified until it passes a challenge again');
    this.records.enqueue(async () => {
      await this.runChecks(worker);
      this.schedule(worker.id, this.options.challengeDelayMs);
    });
  }

  /** onDisconnected ends the worker's open challenges: a dodge (or, the third time in a day, a wrong answer). */
  onDisconnected(workerId: string, reason: string): void {
    clearTimeout(this.timers.get(workerId));
    this.timers.delete(workerId);
    const cut = [...this.pending.values()].filter((p) => p.workerId === workerId);
    if (cut.length === 0) return;
    const round = cut[0]!.round;
    const now = Date.now();
    const recentUnopened = (this.records.recordOf(workerId)?.unopenedAtMs ?? []).filter((t) => t > now - UNOPENED_WINDOW_MS);
    for (const p of cut) {
      if (p.commit) {
        // Leaving once the asked tiles are known would let an agent retry until the spot check
        // misses its guesses. An honest link can drop at that moment too, so the first ones in a
        // day count as failed challenges (re-challenged at once); the third is a wrong answer.
        round.unopened = [...recentUnopened, now];
        if (round.unopened.length >= UNOPENED_ALLOWED + 1) this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `commitment not opened ${round.unopened.length} times in 24 h: disconnected (${reason.slice(0, 100)}) after committing, before revealing the asked tiles` });
        else {
          round.dodged = true;
          this.settle(p, { kind: 'unverifiable', detail: `commitment not opened: disconnected (${reason.slice(0, 100)}) before revealing the asked tiles (${round.unopened.length} of ${UNOPENED_ALLOWED} allowed in 24 h)` });
        }
      } else {
        // One not yet answered is a failed challenge, not a flag (honest links drop too): the
        // devices lose their standing and the worker is challenged the moment it returns.
        round.dodged = true;
        this.settle(p, { kind: 'unverifiable', detail: `disconnected during a compute challenge (${reason.slice(0, 200)})` });
      }
    }
    if (!round.dodged) return;
    this.metrics.challenges.inc({ outcome: 'dodged' });
    this.records.record(workerId, { kind: 'challenge', atMs: Date.now(), passed: false, reason: 'dodged-challenge' });
    this.logger.warn({ workerId, challenges: cut.length, reason }, 'worker disconnected during a compute challenge: counted as failed');
  }

  /** onCommit receives the agent's commitment and asks for tiles (or ends that device's challenge). */
  onCommit(workerId: string, commit: ChallengeCommitment): void {
    const p = this.pending.get(commit.challengeId);
    if (!p || p.workerId !== workerId || p.commit) {
      this.logger.warn({ workerId, challengeId: commit.challengeId.slice(0, 64) }, 'ignoring a commitment for no pending challenge');
      return;
    }
    p.commit = commit;
    p.committedAt = Date.now();
    const roundTrip = p.committedAt - p.sentAt;
    this.metrics.roundTripSeconds.observe(roundTrip / 1000);
    const model = p.plan.family ?? 'this CPU';
    const need = `${model} needs at most ${p.plan.limitMs} ms for ${formatWork(p.plan.work)}`;
    if (roundTrip > p.plan.limitMs) return this.settle(p, { kind: 'failed', reason: 'too-slow', detail: `too slow for ${model}: ${roundTrip} ms; ${need} (proves ${formatTflops(p.plan.provenTflops)})` });
    if ('error' in commit) {
      const error = commit.error.slice(0, 300);
      // An agent that says it cannot run the challenge stays unverified with its reason: an
      // honest machine without a runtime is not a fraud, and a cheater gains nothing by saying so.
      if (commit.errorKind === 'no-runtime') return this.settle(p, { kind: 'unverifiable', detail: error.startsWith('cannot verify') ? error : `cannot verify: ${error}` });
      if (commit.errorKind === 'helper-failed') return this.settle(p, { kind: 'unverifiable', detail: `cannot verify: challenge helper failed (${error})` });
      return this.settle(p, { kind: 'failed', reason: 'too-slow', detail: `too slow for ${model}: no answer (${error}); ${need}` });
    }
    if (commit.root.length !== 32) return this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `malformed answer: expected a 32-byte commitment, got ${commit.root.length} bytes` });
    const root = commit.root.toString('hex');
    const earlier = this.seenRoots.get(root);
    if (earlier !== undefined) return this.settle(p, { kind: 'failed', reason: 'replayed-answer', detail: `replayed answer: this commitment was already given for challenge ${earlier}` });
    this.remember(root, p.id);
    p.root = commit.root;
    p.asked = pickTiles(p.plan.shape, this.options.revealTiles);
    p.expected = p.asked.length;
    this.link.sendReveal(workerId, { challengeId: p.id, tiles: p.asked });
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `not every asked tile was revealed within ${REVEAL_TIMEOUT_MS} ms` }), REVEAL_TIMEOUT_MS);
    p.timer.unref();
  }

  /** onTile checks one revealed tile in a verification thread. */
  onTile(workerId: string, tile: TileAnswer): void {
    const p = this.pending.get(tile.challengeId);
    if (!p || p.workerId !== workerId || !p.asked) return;
    const at = p.asked.findIndex((t) => t.rowTile === tile.rowTile && t.colTile === tile.colTile);
    if (at < 0) return this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `revealed tile (${tile.rowTile},${tile.colTile}), which was not asked for` });
    p.asked.splice(at, 1);
    // Every asked tile is in: the time the scheduler then takes to check them is not the agent's.
    if (p.asked.length === 0) clearTimeout(p.timer);
    if ('error' in tile) return this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `could not reveal tile (${tile.rowTile},${tile.colTile}): ${tile.error.slice(0, 300)}` });
    // Sizes are checked here, before anything is copied to a verification thread.
    const s = p.plan.shape;
    const leafBytes = leafBytesOf(s, tile.rowTile);
    if (tile.values.length !== s.tileRows * s.tileCols * 2 || tile.leaf.length !== leafBytes || tile.proof.length > 64 || tile.proof.some((x) => x.length !== 32)) {
      return this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: `wrong answer: tile (${tile.rowTile},${tile.colTile}): expected ${s.tileRows * s.tileCols * 2} bytes of values, a leaf of ${leafBytes} bytes and 32-byte proof hashes; got ${tile.values.length}, ${tile.leaf.length} and ${tile.proof.length} hashes` });
    }
    this.pool.verify(p.seed, p.plan.shape, p.root!, { rowTile: tile.rowTile, colTile: tile.colTile, values: tile.values, leaf: tile.leaf, proof: tile.proof }, this.options.freivaldsRounds).then(
      ({ verdict, ms }) => {
        if (!this.pending.has(p.id)) return;
        p.verifyMs += ms;
        this.metrics.verifySeconds.observe(ms / 1000);
        if (!verdict.ok) return this.settle(p, { kind: 'failed', reason: 'wrong-answer', detail: verdict.reason.startsWith('wrong answer') ? verdict.reason : `wrong answer: ${verdict.reason}` });
        p.verified++;
        if (p.verified === p.expected) this.settle(p, { kind: 'passed' });
      },
      (err: unknown) => this.settle(p, { kind: 'unverifiable', detail: `cannot verify: the scheduler's check failed (${(err as Error).message})` }),
    );
  }

  /**
   * runChecks flags what needs no challenge: a virtualized GPU, a GPU id listed twice, and a GPU id
   * another worker proved first. An id keeps its first prover for good (device-ids/ in the store),
   * so a newcomer copying a UUID is flagged, not the worker it copied.
   */
  private async runChecks(worker: WorkerRecord): Promise<void> {
    const now = Date.now();
    const found = virtualizationFlags(worker, now);
    const seen = new Set<string>();
    for (const gpu of worker.hardware.gpus) {
      for (const { kind, id } of deviceIds(gpu)) {
        if (seen.has(`${kind}:${id}`)) found.push({ reason: 'duplicate-gpu', detail: `duplicate GPU: ${kind} ${id} is reported twice by this worker`, atMs: now });
        seen.add(`${kind}:${id}`);
        const holder = await this.store.deviceIdHolder(kind, id);
        if (holder && holder.workerId !== worker.id) {
          found.push({ reason: 'duplicate-gpu', detail: `duplicate GPU: ${kind} ${id} was first proven by ${holder.workerId} (${new Date(holder.firstSeenAtMs).toISOString()})`, atMs: now });
        }
      }
    }
    if (found.length) await this.records.addFlags(worker.id, found);
  }

  /**
   * claimProvenIds records this worker as the holder of the ids of GPUs that just passed, unless
   * someone proved them first (then it is flagged). Only a pass claims an id, so reporting
   * someone else's UUID without its card squats nothing.
   */
  private async claimProvenIds(workerId: string, gpuIndices: number[]): Promise<TrustFlagRecord[]> {
    const worker = this.topology.workers.get(workerId);
    if (!worker) return [];
    const now = Date.now();
    const flags: TrustFlagRecord[] = [];
    for (const index of gpuIndices) {
      const gpu = worker.hardware.gpus[index];
      if (!gpu) continue;
      for (const { kind, id } of deviceIds(gpu)) {
        const holder = await this.store.claimDeviceId(kind, id, workerId, now);
        if (holder.workerId !== workerId) flags.push({ reason: 'duplicate-gpu', detail: `duplicate GPU: ${kind} ${id} was first proven by ${holder.workerId} (${new Date(holder.firstSeenAtMs).toISOString()})`, atMs: now });
      }
    }
    return flags;
  }

  private schedule(workerId: string, delayMs: number): void {
    clearTimeout(this.timers.get(workerId));
    // Not through the store queue: sending a challenge reads only the in-memory views, and its timing matters.
    const timer = setTimeout(() => this.challenge(workerId), delayMs);
    timer.unref();
    this.timers.set(workerId, timer);
  }

  /** scheduleCohort: every interval/COHORTS (uniform 0.5–1.5×), challenge each online worker with probability 1/COHORTS, all at once. */
  private scheduleCohort(): void {
    const delay = Math.round((this.options.challengeIntervalMs / COHORTS) * (0.5 + Math.random()));
    this.cohortTimer = setTimeout(() => {
      const cohort = [...this.topology.live.keys()].filter(() => Math.random() < 1 / COHORTS);
      if (cohort.length) this.logger.info({ workers: cohort.length }, 'challenging a cohort of workers at once');
      for (const id of cohort) this.challenge(id);
      this.scheduleCohort();
    }, delay);
    this.cohortTimer.unref();
  }

  private plans(worker: WorkerRecord): { plans: Array<{ plan: ChallengePlan; model: string }>; unverifiable: string[] } {
    const gpus = worker.hardware.gpus;
    if (gpus.length === 0) return { plans: [{ plan: planCpuChallenge({ cpuDeadlineMs: this.options.cpuChallengeDeadlineMs }), model: 'cpu' }], unverifiable: [] };
    const rttP99Ms = this.link.rttP99Ms(worker.id) ?? this.options.challengeDefaultRttMs;
    const plans: Array<{ plan: ChallengePlan; model: string }> = [];
    const unverifiable: string[] = [];
    gpus.forEach((gpu, index) => {
      // A placeholder UUID names no device: such a GPU cannot be told apart from another, so it is never supply.
      if (isPlaceholderId(gpu.uuid)) return void unverifiable.push(`cannot verify GPU ${index} (${gpu.name}): its UUID "${gpu.uuid}" is a placeholder`);
      const outcome = planGpuChallenge(index, gpu.name, gpu.uuid, { table: this.table, rttP99Ms, hostAllowanceMs: this.options.challengeHostAllowanceMs, cpuDeadlineMs: this.options.cpuChallengeDeadlineMs });
      if (outcome.ok) plans.push({ plan: outcome.plan, model: gpu.name });
      else unverifiable.push(`GPU ${index}: ${outcome.reason}`);
    });
    return { plans, unverifiable };
  }

  private challenge(workerId: string): void {
    const worker = this.topology.workers.get(workerId);
    if (!worker || !this.topology.isOnline(workerId)) {
      // Connected here but not yet in the view (its watch lags a busy etcd): try again shortly rather than never.
      if (this.link.connected(workerId)) this.schedule(workerId, VIEW_LAG_RETRY_MS);
      return;
    }
    if ([...this.pending.values()].some((p) => p.workerId === workerId)) return;
    // A flagged worker stays flagged until an operator clears it; challenging it again proves nothing.
    if (this.records.stateOf(worker) === 'flagged') return;
    if (this.link.busy(workerId)) {
      // Never while the worker runs a shard: try again shortly.
      this.schedule(workerId, Math.min(30_000, this.options.challengeDelayMs + 5_000));
      return;
    }
    const { plans, unverifiable } = this.plans(worker);
    const round: Round = { id: 'r-' + randomBytes(6).toString('hex'), workerId, hardware: hardwareHash(worker.hardware), open: plans.length, outcomes: new Map(), records: [], unverifiable };
    if (plans.length === 0) return void this.finish(round);
    // Every device at the same instant: each is timed against its own limit from now.
    const sentAt = Date.now();
    for (const { plan, model } of plans) {
      const id = 'c-' + randomBytes(8).toString('hex');
      const p: Pending = { id, round, workerId, seed: newChallengeSeed(), plan, gpuModel: model, sentAt, expected: 0, verified: 0, verifyMs: 0, timer: setTimeout(() => undefined, 0) };
      const family = plan.family ?? 'this CPU';
      p.timer = setTimeout(() => this.settle(p, { kind: 'failed', reason: 'too-slow', detail: `too slow for ${family}: no answer within ${plan.limitMs + 1_000} ms; ${family} needs at most ${plan.limitMs} ms for ${formatWork(plan.work)}` }), plan.limitMs + 1_000);
      p.timer.unref();
      this.pending.set(id, p);
      const sent = this.link.sendChallenge(workerId, { challengeId: id, seed: p.seed, shape: plan.shape, precision: plan.precision, gpuIndex: plan.gpuIndex, gpuUuid: plan.gpuUuid, deadlineMs: plan.limitMs });
      if (!sent) {
        this.drop(p);
        round.open--;
        continue;
      }
      this.logger.info({ workerId, challengeId: id, gpuIndex: plan.gpuIndex, model: plan.family ?? 'cpu', workFlops: plan.work, limitMs: plan.limitMs, claimedTflops: plan.claimedTflops, provenTflops: plan.provenTflops && sig3(plan.provenTflops) }, 'compute challenge sent');
    }
  }

  /** settle ends one device's challenge; the round ends when all its devices have. */
  private settle(p: Pending, outcome: DeviceOutcome): void {
    if (!this.pending.has(p.id)) return;
    this.drop(p);
    const round = p.round;
    const roundTripMs = (p.committedAt ?? Date.now()) - p.sentAt;
    const detail = outcome.kind === 'passed' ? 'passed' : outcome.detail;
    round.outcomes.set(p.plan.gpuIndex, outcome);
    round.records.push({
      atMs: Date.now(),
      gpuIndex: p.plan.gpuIndex,
      gpuModel: p.gpuModel,
      passed: outcome.kind === 'passed',
      reason: detail,
      workFlops: p.plan.work,
      limitMs: p.plan.limitMs,
      roundTripMs,
      ...(p.plan.claimedTflops !== undefined && { claimedTflops: p.plan.claimedTflops }),
      ...(p.plan.provenTflops !== undefined && { provenTflops: sig3(p.plan.provenTflops) }),
      device: (p.commit?.device ?? '').slice(0, 200),
      verifyMs: round2(p.verifyMs),
    });
    this.metrics.challenges.inc({ outcome: outcome.kind === 'failed' ? outcome.reason : outcome.kind });
    const log = { workerId: p.workerId, challengeId: p.id, gpuIndex: p.plan.gpuIndex, model: p.plan.family ?? 'cpu', workFlops: p.plan.work, limitMs: p.plan.limitMs, roundTripMs, claimedTflops: p.plan.claimedTflops, provenTflops: p.plan.provenTflops && sig3(p.plan.provenTflops), verifyMs: round2(p.verifyMs) };
    if (outcome.kind === 'passed') this.logger.info(log, 'compute challenge passed');
    else if (outcome.kind === 'failed') this.logger.warn({ ...log, reason: outcome.reason, detail }, 'compute challenge failed: worker flagged');
    else this.logger.warn({ ...log, detail }, 'device cannot be verified');
    if (outcome.kind !== 'unverifiable') this.records.record(p.workerId, { kind: 'challenge', atMs: Date.now(), passed: outcome.kind === 'passed', ...(outcome.kind === 'failed' && { reason: outcome.reason }) });
    if (--round.open <= 0) this.finish(round);
  }

  /** finish writes a round's result in one compare-and-swap: proven devices, flags, reasons, records. */
  private finish(round: Round): void {
    const outcomes = [...round.outcomes.entries()];
    const proven = outcomes.filter(([, o]) => o.kind === 'passed').map(([i]) => i);
    const provenGpus = proven.filter((i) => i >= 0);
    const flags: TrustFlagRecord[] = outcomes.flatMap(([, o]) => (o.kind === 'failed' ? [{ reason: o.reason, detail: o.detail, atMs: Date.now() }] : []));
    const reasons = [...round.unverifiable, ...outcomes.flatMap(([, o]) => (o.kind === 'unverifiable' ? [o.detail] : []))];
    this.records.enqueue(async () => {
      flags.push(...(await this.claimProvenIds(round.workerId, provenGpus)));
      const allPassed = proven.length === outcomes.length && reasons.length === 0 && outcomes.length > 0 && flags.length === 0;
      await this.records.update(round.workerId, (r) => {
        const byDevice = new Map((r.challenges ?? []).map((c) => [c.gpuIndex, c]));
        for (const c of round.records) byDevice.set(c.gpuIndex, c);
        const { verifiedHardwareHash: _v, verifiedAtMs: _a, unverifiedReason: _u, pendingAtDisconnect: _p, ...rest } = r;
        return {
          ...rest,
          flags: withFlags(r.flags, flags),
          challenges: [...byDevice.values()].sort((a, b) => a.gpuIndex - b.gpuIndex).slice(0, 64),
          provenGpus,
          provenHardwareHash: round.hardware,
          ...(allPassed && { verifiedHardwareHash: round.hardware, verifiedAtMs: Date.now() }),
          ...(reasons.length > 0 && { unverifiedReason: reasons.join('; ').slice(0, 1000) }),
          ...(round.dodged && { pendingAtDisconnect: true }),
          ...(round.unopened && { unopenedAtMs: round.unopened.slice(-UNOPENED_ALLOWED - 1) }),
        };
      });
      // A device that could not be challenged (runtime starting, helper restarted) is asked again
      // soon, then less and less often: saying "cannot" repeatedly buys an agent nothing.
      const retries = reasons.length ? (this.unverifiableRetries.get(round.workerId) ?? 0) + 1 : 0;
      this.unverifiableRetries.set(round.workerId, retries);
      if (!flags.length) this.schedule(round.workerId, retries ? Math.min(this.nextInterval(), this.options.challengeDelayMs * UNVERIFIABLE_RETRY_DELAYS * 2 ** Math.min(retries - 1, 10)) : this.nextInterval());
    });
  }

  private nextInterval(): number {
    // Uniform in [0.5, 1.5] × the interval: a worker cannot predict its next challenge.
    return Math.round(this.options.challengeIntervalMs * (0.5 + Math.random()));
  }

  private drop(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p.id);
  }

  private remember(root: string, challengeId: string): void {
    this.seenRoots.set(root, challengeId);
    if (this.seenRoots.size > REPLAY_MEMORY) this.seenRoots.delete(this.seenRoots.keys().next().value!);
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
/** sig3 keeps three significant digits (rates from 0.001 to 2000 TFLOP/s). */
const sig3 = (v: number): number => Number(v.toPrecision(3));

/** formatWork prints flops as "12.3 TFLOP". */
export function formatWork(flops: number): string {
  return flops >= 1e12 ? `${round2(flops / 1e12)} TFLOP` : `${round2(flops / 1e9)} GFLOP`;
}

function formatTflops(t: number | undefined): string {
  return t === undefined ? 'nothing about speed' : `${round2(t)} TFLOP/s`;
}
