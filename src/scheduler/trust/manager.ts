/**
 * manager: decides when a worker is challenged, checks the answers, keeps trust records and the
 * reputation event log. Challenges run at connect (when the worker is not verified for the
 * hardware it reports), after a hardware change, and at random intervals — never while the worker
 * runs a shard; their size and time are bounded (sizing.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ChallengeCommit } from '../../gen/tessera/v1/ChallengeCommit.js';
import type { ChallengeRows } from '../../gen/tessera/v1/ChallengeRows.js';
import type { ComputeChallengeWire } from '../../gen/tessera/v1/ComputeChallenge.js';
import type { RevealRowsWire } from '../../gen/tessera/v1/RevealRows.js';
import { CHALLENGE_MAX_N, newChallengeSeed, pickRows, verifyReveal } from '../../common/challenge.js';
import type { Logger } from '../../common/logger.js';
import { computeReputation, type ReputationEvent, type ReputationScore } from '../../common/reputation.js';
import { hardwareHash, trustStateOf, type ChallengeRecord, type TrustFlagRecord, type TrustRecord, type TrustState } from '../../common/trust.js';
import type { WorkerRecord } from '../../common/worker.js';
import type { TopologyView } from '../../store/topology-view.js';
import type { TrustStore } from '../../store/trust-store.js';
import type { TrustView } from '../../store/trust-view.js';
import { duplicateFlags, virtualizationFlags } from './checks.js';
import { planChallenge, type ChallengePlan } from './sizing.js';

/** TrustLink sends challenge messages to a connected agent and says whether it is busy. */
export interface TrustLink {
  sendChallenge(workerId: string, message: ComputeChallengeWire): boolean;
  sendReveal(workerId: string, message: RevealRowsWire): boolean;
  busy(workerId: string): boolean;
}

/** TrustOptions are the compiled trust settings. */
export interface TrustOptions {
  challengeIntervalMs: number;
  challengeDelayMs: number;
  freivaldsRounds: number;
  revealRows: number;
  maxChallengeN: number;
  cpuChallengeDeadlineMs: number;
  challengeAllowanceMs: number;
}

/** TrustMetrics are observed per challenge. */
export interface TrustMetrics {
  challenges: { inc(labels: { outcome: string }): void };
  verifySeconds: { observe(seconds: number): void };
  roundTripSeconds: { observe(seconds: number): void };
}

interface Pending {
  id: string;
  workerId: string;
  seed: Buffer;
  plan: ChallengePlan;
  sentAt: number;
  hardware: string;
  commit?: ChallengeCommit;
  committedAt?: number;
  asked?: number[];
  timer: NodeJS.Timeout;
}

/** REPLAY_MEMORY: commitment roots remembered to catch an answer used twice. */
const REPLAY_MEMORY = 10_000;
/** REVEAL_TIMEOUT_MS: revealing a few rows is quick; a slow reveal is a failed challenge. */
const REVEAL_TIMEOUT_MS = 30_000;
/** REPUTATION_REFRESH_MS: how often placement's copy of online workers' scores is recomputed. */
const REPUTATION_REFRESH_MS = 15_000;

export class TrustManager {
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly seenRoots = new Map<string, string>();
  private readonly scores = new Map<string, ReputationScore>();
  private refresher: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TrustStore,
    readonly view: TrustView,
    private readonly topology: TopologyView,
    private readonly link: TrustLink,
    private readonly options: TrustOptions,
    private readonly metrics: TrustMetrics,
    private readonly logger: Logger,
  ) {
    this.topology.on('change', (change, worker) => {
      if (change === 'offline') this.enqueue(() => this.store.append(worker.id, { kind: 'disconnected', atMs: Date.now(), reason: 'lease expired' }));
    });
    this.refresher = setInterval(() => void this.refreshScores(), REPUTATION_REFRESH_MS);
    this.refresher.unref();
  }

  stop(): void {
    clearInterval(this.refresher);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.pending.values()) clearTimeout(p.timer);
  }

  /** stateOf is the worker's standing for the hardware it reports now. */
  stateOf(worker: WorkerRecord): TrustState {
    return trustStateOf(this.view.get(worker.id), worker.hardware);
  }

  /** reputation is placement's cached score (refreshed every 15 s and after each event). */
  reputation(workerId: string): number | undefined {
    return this.scores.get(workerId)?.score;
  }

  /** reputationOf recomputes a worker's score from its log, as the CLI does. */
  async reputationOf(workerId: string, asOfMs = Date.now()): Promise<ReputationScore> {
    return computeReputation(await this.store.events(workerId), asOfMs);
  }

  onConnected(worker: WorkerRecord): void {
    this.record(worker.id, { kind: 'connected', atMs: Date.now() });
    this.enqueue(async () => {
      await this.runChecks();
      if (this.stateOf(worker) !== 'verified') this.schedule(worker.id, this.options.challengeDelayMs);
      else this.schedule(worker.id, this.nextInterval());
    });
  }

  onHardwareChanged(worker: WorkerRecord): void {
    this.logger.info({ workerId: worker.id }, 'hardware changed: the worker is unverified until it passes a challenge again');
    this.enqueue(async () => {
      await this.runChecks();
      this.schedule(worker.id, this.options.challengeDelayMs);
    });
  }

  onDisconnected(workerId: string, reason: string): void {
    this.record(workerId, { kind: 'disconnected', atMs: Date.now(), reason });
    clearTimeout(this.timers.get(workerId));
    this.timers.delete(workerId);
    for (const p of this.pending.values()) if (p.workerId === workerId) this.drop(p);
  }

  onShardOutcome(workerId: string, outcome: 'completed' | 'lost'): void {
    this.record(workerId, { kind: 'shard', atMs: Date.now(), outcome });
  }

  onRtt(workerId: string, meanMs: number, jitterMs: number, samples: number): void {
    this.record(workerId, { kind: 'rtt', atMs: Date.now(), meanMs, jitterMs, samples });
  }

  /** onCommit receives the agent's commitment and asks for rows (or fails the challenge). */
  onCommit(workerId: string, commit: ChallengeCommit): void {
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
    if (commit.error) return this.fail(p, 'too-slow', `too slow for ${model}: no product (${commit.error.slice(0, 300)}); ${model} needs at most ${p.plan.limitMs} ms for n=${p.plan.n}`);
    if (roundTrip > p.plan.limitMs) return this.fail(p, 'too-slow', `too slow for ${model}: ${roundTrip} ms for n=${p.plan.n} ${p.plan.precision}; ${model} needs at most ${p.plan.limitMs} ms`);
    if (p.plan.memoryCheckMib > 0 && (commit.memoryError || commit.memoryCheckedMib < p.plan.memoryCheckMib)) {
      return this.fail(p, 'memory-check-failed', `memory check failed: asked to touch ${p.plan.memoryCheckMib} MiB, ${commit.memoryError ? commit.memoryError.slice(0, 300) : `touched ${commit.memoryCheckedMib} MiB`}`);
    }
    if (commit.rowsRoot.length !== 32) return this.fail(p, 'wrong-answer', `malformed answer: expected a 32-byte commitment, got ${commit.rowsRoot.length} bytes`);
    const root = commit.rowsRoot.toString('hex');
    const earlier = this.seenRoots.get(root);
    if (earlier !== undefined) return this.fail(p, 'replayed-answer', `replayed answer: this product was already given for challenge ${earlier}`);
    this.remember(root, p.id);
    p.asked = pickRows(p.plan.n, this.options.revealRows);
    this.link.sendReveal(workerId, { challengeId: p.id, rows: p.asked });
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.fail(p, 'wrong-answer', `no rows revealed within ${REVEAL_TIMEOUT_MS} ms`), REVEAL_TIMEOUT_MS);
    p.timer.unref();
  }

  /** onRows checks the revealed rows with Freivalds' algorithm. */
  onRows(workerId: string, answer: ChallengeRows): void {
    const p = this.pending.get(answer.challengeId);
    if (!p || p.workerId !== workerId || !p.asked) return;
    const started = process.hrtime.bigint();
    let verdict;
    try {
      verdict = verifyReveal(p.seed, p.plan.n, p.plan.precision, p.commit!.rowsRoot, p.asked, answer.rows.map((r) => ({ index: r.index, values: r.values })), answer.rowHashes, this.options.freivaldsRounds);
    } catch (err) {
      verdict = { ok: false as const, reason: `malformed answer: ${(err as Error).message}` };
    }
    const verifyMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.metrics.verifySeconds.observe(verifyMs / 1000);
    if (!verdict.ok) return this.fail(p, 'wrong-answer', verdict.reason.startsWith('wrong answer') ? verdict.reason : `wrong answer: ${verdict.reason}`, verifyMs);
    this.pass(p, verifyMs);
  }

  private async runChecks(): Promise<void> {
    const now = Date.now();
    const online = [...this.topology.workers.values()].filter((w) => this.topology.isOnline(w.id));
    const duplicates = duplicateFlags(online, now);
    for (const worker of online) {
      const found = [...(duplicates.get(worker.id) ?? []), ...virtualizationFlags(worker, now)];
      if (found.length) await this.addFlags(worker.id, found);
    }
  }

  private schedule(workerId: string, delayMs: number): void {
    clearTimeout(this.timers.get(workerId));
    const timer = setTimeout(() => this.enqueue(() => Promise.resolve(this.challenge(workerId))), delayMs);
    timer.unref();
    this.timers.set(workerId, timer);
  }

  private nextInterval(): number {
    // Uniform in [0.5, 1.5] × the interval: a worker cannot predict its next challenge.
    return Math.round(this.options.challengeIntervalMs * (0.5 + Math.random()));
  }

  private challenge(workerId: string): void {
    const worker = this.topology.workers.get(workerId);
    if (!worker || !this.topology.isOnline(workerId)) return;
    if ([...this.pending.values()].some((p) => p.workerId === workerId)) return;
    if (this.link.busy(workerId)) {
      // Never while the worker runs a shard: try again shortly.
      this.schedule(workerId, Math.min(30_000, this.options.challengeDelayMs + 5_000));
      return;
    }
    const gpuIndex = worker.hardware.gpus.length ? Math.floor(Math.random() * worker.hardware.gpus.length) : -1;
    const plan = planChallenge(worker, gpuIndex, { maxN: Math.min(CHALLENGE_MAX_N, this.options.maxChallengeN), cpuDeadlineMs: this.options.cpuChallengeDeadlineMs, allowanceMs: this.options.challengeAllowanceMs });
    const id = 'c-' + randomBytes(8).toString('hex');
    const seed = newChallengeSeed();
    const p: Pending = { id, workerId, seed, plan, sentAt: Date.now(), hardware: hardwareHash(worker.hardware), timer: setTimeout(() => undefined, 0) };
    p.timer = setTimeout(() => this.fail(p, 'too-slow', `too slow for ${plan.family ?? 'this CPU'}: no answer within ${plan.limitMs + 5_000} ms (n=${plan.n})`), plan.limitMs + 5_000);
    p.timer.unref();
    this.pending.set(id, p);
    const sent = this.link.sendChallenge(workerId, { challengeId: id, seed, n: plan.n, precision: plan.precision, gpuIndex: plan.gpuIndex, memoryCheckMib: plan.memoryCheckMib, deadlineMs: plan.limitMs });
    if (!sent) this.drop(p);
    else this.logger.info({ workerId, challengeId: id, n: plan.n, gpuIndex, limitMs: plan.limitMs }, 'compute challenge sent');
  }

  private pass(p: Pending, verifyMs: number): void {
    this.drop(p);
    this.metrics.challenges.inc({ outcome: 'passed' });
    this.record(p.workerId, { kind: 'challenge', atMs: Date.now(), passed: true });
    this.enqueue(async () => {
      await this.update(p.workerId, (r) => ({ ...r, verifiedHardwareHash: p.hardware, verifiedAtMs: Date.now(), lastChallenge: this.challengeRecord(p, true, 'passed', verifyMs) }));
      this.logger.info({ workerId: p.workerId, n: p.plan.n, roundTripMs: p.committedAt! - p.sentAt, verifyMs: Math.round(verifyMs * 10) / 10 }, 'compute challenge passed');
      this.schedule(p.workerId, this.nextInterval());
    });
  }

  private fail(p: Pending, reason: TrustFlagRecord['reason'], detail: string, verifyMs = 0): void {
    if (!this.pending.has(p.id)) return;
    this.drop(p);
    this.metrics.challenges.inc({ outcome: reason });
    this.record(p.workerId, { kind: 'challenge', atMs: Date.now(), passed: false, reason });
    this.logger.warn({ workerId: p.workerId, reason, detail }, 'compute challenge failed: worker flagged');
    this.enqueue(async () => {
      await this.addFlags(p.workerId, [{ reason, detail, atMs: Date.now() }], this.challengeRecord(p, false, detail, verifyMs));
    });
  }

  private challengeRecord(p: Pending, passed: boolean, reason: string, verifyMs: number): ChallengeRecord {
    return {
      atMs: Date.now(),
      n: p.plan.n,
      precision: p.plan.precision,
      gpuIndex: p.plan.gpuIndex,
      device: (p.commit?.device ?? '').slice(0, 200),
      roundTripMs: (p.committedAt ?? Date.now()) - p.sentAt,
      reportedComputeMs: p.commit?.computeMs ?? 0,
      verifyMs: Math.round(verifyMs * 100) / 100,
      limitMs: p.plan.limitMs,
      passed,
      reason,
    };
  }

  private drop(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p.id);
  }

  private remember(root: string, challengeId: string): void {
    this.seenRoots.set(root, challengeId);
    if (this.seenRoots.size > REPLAY_MEMORY) this.seenRoots.delete(this.seenRoots.keys().next().value!);
  }

  /** addFlags adds flags whose reason and detail are new (flags are sticky until an operator clears them). */
  private async addFlags(workerId: string, flags: TrustFlagRecord[], lastChallenge?: ChallengeRecord): Promise<void> {
    await this.update(workerId, (r) => {
      const fresh = flags.filter((f) => !r.flags.some((g) => g.reason === f.reason && g.detail === f.detail));
      if (!fresh.length && !lastChallenge) return undefined;
      return { ...r, flags: [...r.flags, ...fresh], ...(lastChallenge && { lastChallenge }) };
    });
  }

  /** update applies a change to a trust record with compare-and-swap, retrying on conflict. */
  private async update(workerId: string, change: (r: TrustRecord) => TrustRecord | undefined): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.get(workerId);
      const next = change(current?.record ?? { workerId, flags: [] });
      if (!next) return;
      const revision = await this.store.put(next, current?.modRevision ?? 0);
      if (revision !== undefined) {
        this.view.set(next, revision);
        return;
      }
    }
    this.logger.warn({ workerId }, 'trust record kept changing under us; giving up this update');
  }

  private record(workerId: string, event: ReputationEvent): void {
    this.enqueue(async () => {
      await this.store.append(workerId, event);
      this.scores.set(workerId, await this.reputationOf(workerId));
    });
  }

  private async refreshScores(): Promise<void> {
    for (const id of this.topology.live.keys()) {
      try {
        this.scores.set(id, await this.reputationOf(id));
      } catch {
        // The store is unreachable; keep the last score.
      }
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => this.logger.warn({ err }, 'trust step failed'));
  }
}
