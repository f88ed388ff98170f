/**
 * controller: runs jobs. It places pending shards (the pure pipeline in ../placement), commits
 * placements to etcd with compare-and-swap, hands assignments to agents, records what agents
 * report, reruns what lost workers were doing, and finishes jobs — each result exactly once.
 *
 * Every mutation runs on one queue, so within a replica two handlers never race on a shard;
 * across replicas (or against a stale report) the store's compares decide who wins.
 */
import { randomInt } from 'node:crypto';
import { isTerminalShard, type JobEventBody, type JobRecord, type JobState, type ShardRecord } from '../../common/job.js';
import type { Logger } from '../../common/logger.js';
import type { JobStore, StoredExplanation, Versioned, Write } from '../../store/job-store.js';
import { TenantStore } from '../../store/tenant-store.js';
import type { TopologyView } from '../../store/topology-view.js';
import { placeGang } from '../placement/gang.js';
import type { NodeIndex } from '../placement/node-index.js';
import { buildIndex, buildUsage, type NodeExtras } from '../placement/snapshot.js';
import { newPlacementStack } from '../placement/stack.js';
import type { Explanation, Placement, ShardAsk } from '../placement/types.js';
import type { UsageTable } from '../placement/usage.js';
import { JobCache } from './cache.js';
import { shardEnv, type GangLayout } from './env.js';
import { describe, nextAttempt, resultEvent, retryable, succeeded, withEnd, type AttemptEnd } from './outcome.js';
import { UsageMeter, type MeterMetrics } from './meter.js';
import { QuotaGate, type QuotaBook } from './quota-gate.js';
import { DEFAULT_OUTPUT_LIMITS, OutputLimiter, type OutputAdmission, type OutputLimits } from './output-limits.js';

/** AgentLink is how the controller reaches connected agents (the agent service implements it). */
export interface AgentLink {
  assign(workerId: string, job: JobRecord, shard: ShardRecord, env: Record<string, string>): boolean;
  cancel(workerId: string, ref: { jobId: string; index: number; attempt: number }, reason: string): boolean;
  advertiseAddress(workerId: string): string | undefined;
  /** suspect: the worker's stream broke recently; its lease may still be alive, but new work should go elsewhere. */
  suspect(workerId: string): boolean;
}

/** ControllerMetrics are observed by the controller. */
export interface ControllerMetrics extends MeterMetrics {
  dispatchLatency: { observe(seconds: number): void };
  placements: { inc(labels: { outcome: string }, n?: number): void };
  shardResults: { inc(labels: { state: string }): void };
  /** Shard output bytes received, by what became of them (stored, or the reason they were dropped). */
  outputBytes?: { inc(labels: { outcome: string }, n?: number): void };
}

/** PLACEMENT_BATCH: shards committed per transaction (3 operations each, under etcd's 128). */
const PLACEMENT_BATCH = 40;
/** COMMITS_IN_FLIGHT: placement transactions sent at once (measured in bench/: 4 saturates etcd on 2 cores). */
const COMMITS_IN_FLIGHT = 4;

/** ShardRef names one attempt. */
export interface ShardRef {
  jobId: string;
  index: number;
  attempt: number;
}

export class JobController {
  readonly cache: JobCache;
  private queue: Promise<void> = Promise.resolve();
  private passScheduled = false;
  private readonly stack = newPlacementStack();
  private stopped = false;
  /** meter adds each ended attempt's GPU- and CPU-seconds to its tenant's usage, in the same transaction. */
  private readonly meter: UsageMeter;
  /** quotas holds back placements a tenant's quota does not allow. */
  private readonly quotas: QuotaGate;
  /** output decides on receipt what of agents' output is stored (caps and rate, output-limits.ts). */
  readonly output: OutputLimiter;
  /** observer hears shard outcomes (the reputation log) and supplies trust facts to placement. */
  observer: { shardOutcome(workerId: string, outcome: 'completed' | 'lost', gpuHours: number): void; extras: NodeExtras } | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly topology: TopologyView,
    private readonly link: AgentLink,
    private readonly metrics: ControllerMetrics,
    private readonly logger: Logger,
    outputLimits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
  ) {
    this.output = new OutputLimiter(outputLimits);
    this.cache = new JobCache(store);
    const tenants = new TenantStore(store.kv, store.root);
    this.quotas = new QuotaGate(tenants, () => this.kick());
    this.meter = new UsageMeter(store, tenants, metrics, (tenantId) => this.quotas.invalidate(tenantId));
  }

  async start(): Promise<void> {
    await this.quotas.start();
    await this.cache.start(() => this.kick());
    this.topology.on('change', () => this.kick());
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await this.quotas.stop();
    await this.cache.stop();
  }

  /** kick asks for a scheduling pass soon; many kicks in a burst make one pass. */
  kick(): void {
    if (this.passScheduled || this.stopped) return;
    this.passScheduled = true;
    setTimeout(() => {
      this.passScheduled = false;
      this.enqueue(() => this.pass());
    }, 20).unref();
  }

  /** idle resolves once queued work is done (tests and shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      this.logger.error({ err }, 'job controller step failed; the next pass retries');
      setTimeout(() => this.kick(), 500).unref();
    });
  }

  // ---- agent reports ------------------------------------------------------------------

  /** onConnected reconciles what an agent runs with what the store says it should. */
  onConnected(workerId: string, active: ShardRef[]): void {
    this.output.connected(workerId);
    this.enqueue(async () => {
      const activeKeys = new Set(active.map((r) => `${r.jobId}/${r.index}/${r.attempt}`));
      for (const ref of active) {
        const shard = this.cache.shards.get(ref.jobId)?.get(ref.index)?.value;
        if (!shard || shard.attempt !== ref.attempt || shard.workerId !== workerId || isTerminalShard(shard.state)) {
          this.link.cancel(workerId, ref, 'stale attempt: the scheduler no longer expects it');
        }
      }
      for (const [jobId, shards] of this.cache.shards) {
        const job = this.cache.jobs.get(jobId)?.value;
        if (!job) continue;
        for (const index of [...shards.keys()]) {
          const shard = this.cache.shards.get(jobId)?.get(index)?.value;
          if (!shard) break;
          if (shard.workerId !== workerId || (shard.state !== 'placed' && shard.state !== 'running')) continue;
          if (activeKeys.has(`${jobId}/${shard.index}/${shard.attempt}`)) continue;
          if (shard.state === 'placed') this.dispatch(job, shard);
          else await this.endAttempt(job, shard, { lost: true, error: `the agent on ${workerId} restarted and no longer runs it` });
        }
      }
    });
  }

  /** onStarted: `agentStartedAtMs` is the agent's clock, trusted for the latency metric only when plausible. */
  onStarted(workerId: string, ref: ShardRef, startedAtMs: number, agentStartedAtMs = startedAtMs): void {
    this.enqueue(async () => {
      const found = this.current(ref, workerId);
      if (!found || found.shard.value.state !== 'placed') return;
      const { job, shard } = found;
      const next: ShardRecord = { ...shard.value, state: 'running', startedAtMs };
      const revision = await this.store.apply([{ key: shard.key, expect: shard.modRevision, value: next }], [shardEvent(next, `running on ${workerId}`)], job.id, job.lease);
      if (revision === undefined) return;
      this.cache.setShard(next, revision);
      const placedAt = shard.value.placedAtMs;
      if (placedAt) {
        // Clocks differ across machines: use the agent's start time only when it falls between placement and receipt.
        const began = agentStartedAtMs >= placedAt && agentStartedAtMs <= startedAtMs ? agentStartedAtMs : startedAtMs;
        this.metrics.dispatchLatency.observe((began - placedAt) / 1000);
      }
      if (job.state === 'pending') await this.setJobState(job.id, 'running', 'first shard running');
    });
  }

  /**
   * onOutput decides at once what of a chunk is kept (output-limits.ts) and queues only that, so
   * an agent sending faster than etcd writes never grows the queue. A flood — output past the cap
   * the agent was told — ends the attempt as lost (it reruns elsewhere); the caller cuts the
   * agent off and flags the worker.
   */
  onOutput(workerId: string, ref: ShardRef, stream: 'stdout' | 'stderr', data: Buffer, truncated: boolean): OutputAdmission {
    const state = this.current(ref, workerId)?.shard.value.state;
    const expected = state === 'placed' || state === 'running';
    const admission = expected ? this.output.admit(ref, data, truncated) : this.output.strayOutput(workerId, ref, data.length);
    const chunk = admission.chunk;
    if (chunk?.data.length) this.metrics.outputBytes?.inc({ outcome: 'stored' }, chunk.data.length);
    if (admission.dropped) this.metrics.outputBytes?.inc({ outcome: `dropped_${admission.reason ?? 'attempt_cap'}` }, admission.dropped);
    if (chunk) {
      this.enqueue(async () => {
        const found = this.current(ref, workerId);
        if (!found) return;
        const event: JobEventBody = { kind: 'log', index: ref.index, attempt: ref.attempt, stream, dataBase64: chunk.data.toString('base64'), truncated: chunk.truncated, ...(chunk.note && { note: chunk.note }) };
        // The shard key's revision guards the chunk: output of a superseded attempt is dropped.
        await this.store.apply([], [event], found.job.id, found.job.lease, [{ key: found.shard.key, modRevision: found.shard.modRevision }]);
      });
    }
    if (admission.flood && expected) {
      this.enqueue(async () => {
        const found = this.current(ref, workerId);
        if (!found || (found.shard.value.state !== 'placed' && found.shard.value.state !== 'running')) return;
        await this.endAttempt(found.job, found.shard.value, { lost: true, error: `worker ${workerId} cut off: it ${admission.flood!.message}` });
      });
    }
    return admission;
  }

  /** onFinished records an attempt's end; `ack` runs once the report is recorded or known stale. */
  onFinished(workerId: string, ref: ShardRef, end: AttemptEnd, ack: () => void): void {
    this.enqueue(async () => {
      const found = this.current(ref, workerId);
      if (found && (found.shard.value.state === 'placed' || found.shard.value.state === 'running')) {
        // The record says truncated when the scheduler dropped output too, whatever the agent says.
        await this.endAttempt(found.job, found.shard.value, this.output.cutShort(ref) ? { ...end, outputTruncated: true } : end);
      }
      ack();
    });
  }

  // ---- the scheduling pass ------------------------------------------------------------

  private async pass(): Promise<void> {
    if (this.stopped) return;
    const online = (id: string): boolean => this.topology.isOnline(id);
    // 1. Shards on workers whose lease is gone: rerun them (a gang restarts whole).
    for (const [jobId, shards] of this.cache.shards) {
      const job = this.cache.jobs.get(jobId)?.value;
      if (!job) continue;
      for (const index of [...shards.keys()]) {
        // Re-read each time: handling one shard may have restarted its gang or finished the job.
        const shard = this.cache.shards.get(jobId)?.get(index)?.value;
        const current = this.cache.jobs.get(jobId)?.value;
        if (!shard || !current) break;
        if ((shard.state === 'placed' || shard.state === 'running') && shard.workerId && !online(shard.workerId)) {
          await this.endAttempt(current, shard, { lost: true, error: `worker ${shard.workerId} lost (lease expired)` });
        }
      }
    }
    // 2. Cancellations.
    for (const { value: job } of [...this.cache.jobs.values()]) {
      if (job.cancelRequested && !isTerminalJob(job.state)) await this.cancelJob(job.id);
    }
    // 3. Placement, highest priority first, then oldest.
    const jobs = [...this.cache.jobs.values()]
      .map((v) => v.value)
      .filter((j) => !isTerminalJob(j.state) && !j.cancelRequested)
      .sort((a, b) => b.spec.priority - a.spec.priority || a.createdAtMs - b.createdAtMs);
    if (jobs.length === 0) return;
    // Only workers with a live lease are supply: offline ones neither place nor count. A worker
    // whose stream just broke is left out too, so a restarted gang does not land on a dying node.
    const index = buildIndex(
      [...this.topology.workers.values()].filter((w) => online(w.id) && !this.link.suspect(w.id)).map((w) => [w, true] as [typeof w, boolean]),
      this.observer?.extras,
    );
    const usage = buildUsage(this.holdingShards());
    // Tenants' quotas come before the fleet: a job over its tenant's quota is not placed however free the workers are.
    const book = await this.quotas.book(jobs, this.holdingShards(), Date.now());
    for (const job of jobs) {
      const pending = this.cache.shardsOf(job.id).filter((s) => s.value.state === 'pending');
      if (pending.length === 0) continue;
      if (job.spec.partition.kind === 'gang') await this.placeGangJob(job, pending, index, usage, book);
      else await this.placeIndependent(job, pending, index, usage, book);
    }
    if (book.waitsForPeriod) this.quotas.wakeForNextPeriod(Date.now());
  }

  private *holdingShards(): Generator<{ job: JobRecord; shard: ShardRecord; resources: JobRecord['spec']['resources'] }> {
    for (const [jobId, shards] of this.cache.shards) {
      const job = this.cache.jobs.get(jobId)?.value;
      if (!job) continue;
      for (const { value } of shards.values()) yield { job, shard: value, resources: job.spec.resources };
    }
  }

  private askOf(job: JobRecord): ShardAsk {
    return { resources: job.spec.resources, regions: job.spec.regions, labels: job.spec.labels, requireVerified: job.spec.requireVerified, minReputation: job.spec.minReputation, minUptime30d: job.spec.minUptime30d, allowUnsandboxed: job.spec.allowUnsandboxed };
  }

  /** busy: the worker holds a placed or running shard (challenges wait until it does not). */
  busy(workerId: string): boolean {
    for (const shards of this.cache.shards.values()) {
      for (const { value } of shards.values()) if (value.workerId === workerId && (value.state === 'placed' || value.state === 'running')) return true;
    }
    return false;
  }

  private async placeIndependent(job: JobRecord, pending: Array<Versioned<ShardRecord>>, index: NodeIndex, usage: UsageTable, book: QuotaBook): Promise<void> {
    const ask = this.askOf(job);
    const decided: Array<{ shard: Versioned<ShardRecord>; placement: Placement; explanation: Explanation }> = [];
    let failure: { shard: ShardRecord; explanation: Explanation } | undefined;
    const room = book.room(job, pending.length);
    for (const shard of pending.slice(0, room.allowed)) {
      const decision = this.stack.place(index, usage, ask);
      if (!decision.ok) {
        failure = { shard: shard.value, explanation: decision.explanation };
        break;
      }
      usage.reserve(decision.placement, ask);
      decided.push({ shard, placement: decision.placement, explanation: decision.explanation });
    }
    book.reserve(job, decided.length);
    // Shards left over with no placement failure were held by the quota: say why as it stands after these placements.
    const held = !failure && decided.length < pending.length ? book.room(job, pending.length - decided.length).reason : undefined;
    const heldByQuota = held !== undefined;
    if (held !== undefined) failure = { shard: pending[decided.length]!.value, explanation: quotaHold(held, index.size) };
    const now = Date.now();
    const batches: Array<typeof decided> = [];
    for (let i = 0; i < decided.length; i += PLACEMENT_BATCH) batches.push(decided.slice(i, i + PLACEMENT_BATCH));
    // Batches touch disjoint shards, so several commit at once; etcd groups concurrent proposals.
    for (let i = 0; i < batches.length; i += COMMITS_IN_FLIGHT) {
      await Promise.all(batches.slice(i, i + COMMITS_IN_FLIGHT).map((batch) => this.commitPlacements(job, batch, now)));
    }
    const explanations = [...decided.slice(-5).map((d) => stored(d.shard.value, d.explanation)), ...(failure ? [stored(failure.shard, failure.explanation)] : [])];
    if (explanations.length) await this.store.putExplanations(job.id, job.lease, explanations);
    if (failure) this.metrics.placements.inc({ outcome: heldByQuota ? 'quota' : 'unplaceable' });
  }

  private async commitPlacements(job: JobRecord, batch: Array<{ shard: Versioned<ShardRecord>; placement: Placement }>, now: number): Promise<void> {
    const placed = batch.map(({ shard, placement }) => ({ ...shard.value, state: 'placed' as const, workerId: placement.workerId, gpuIndices: placement.gpuIndices, placedAtMs: now }));
    const revision = await this.store.apply(
      batch.map(({ shard }, k) => ({ key: shard.key, expect: shard.modRevision, value: placed[k]! })),
      placed.map((s) => shardEvent(s, `placed on ${s.workerId}`)),
      job.id,
      job.lease,
    );
    this.metrics.placements.inc({ outcome: revision === undefined ? 'conflict' : 'placed' }, batch.length);
    if (revision === undefined) return;
    for (const s of placed) {
      this.cache.setShard(s, revision);
      this.dispatch(job, s);
    }
  }

  private async placeGangJob(job: JobRecord, pending: Array<Versioned<ShardRecord>>, index: NodeIndex, usage: UsageTable, book: QuotaBook): Promise<void> {
    const shards = this.cache.shardsOf(job.id);
    // A gang is placed only when every rank waits at the same attempt: never half a gang.
    if (pending.length !== shards.length) return;
    const room = book.room(job, shards.length);
    if (room.allowed < shards.length) {
      await this.store.putExplanations(job.id, job.lease, [stored(shards[0]!.value, quotaHold(room.reason!, index.size))]);
      this.metrics.placements.inc({ outcome: 'quota' });
      return;
    }
    const ask = this.askOf(job);
    const decision = placeGang(this.stack, index, usage, ask, shards.length);
    if (!decision.ok) {
      await this.store.putExplanations(job.id, job.lease, [stored(shards[decision.failedRank]!.value, decision.explanation)]);
      this.metrics.placements.inc({ outcome: 'unplaceable' });
      return;
    }
    const now = Date.now();
    const jobVersion = this.cache.jobs.get(job.id)!;
    const nextJob: JobRecord = { ...job, masterPort: randomInt(20_000, 40_000) };
    const placed = shards.map((s, rank) => ({ ...s.value, state: 'placed' as const, workerId: decision.placements[rank]!.workerId, gpuIndices: decision.placements[rank]!.gpuIndices, placedAtMs: now }));
    const writes: Array<Write<unknown>> = [{ key: jobVersion.key, expect: jobVersion.modRevision, value: nextJob }, ...shards.map((s, rank) => ({ key: s.key, expect: s.modRevision, value: placed[rank]! }))];
    const where = [...new Set(placed.map((s) => s.workerId))].join(', ');
    const revision = await this.store.apply(writes, [{ kind: 'job-state', state: job.state, message: `gang attempt ${placed[0]!.attempt}: ${placed.length} ranks placed on ${where}` }], job.id, job.lease);
    this.metrics.placements.inc({ outcome: revision === undefined ? 'conflict' : 'placed' }, placed.length);
    if (revision === undefined) return;
    book.reserve(job, placed.length);
    this.cache.setJob(nextJob, revision);
    for (const s of placed) this.cache.setShard(s, revision);
    await this.store.putExplanations(job.id, job.lease, placed.map((s, rank) => stored(s, decision.explanations[rank]!)));
    for (const s of placed) this.dispatch(nextJob, s);
  }

  private dispatch(job: JobRecord, shard: ShardRecord): void {
    const gang = job.spec.partition.kind === 'gang' ? this.gangLayout(job) : undefined;
    if (!this.link.assign(shard.workerId!, job, shard, shardEnv(job, shard, gang))) {
      this.logger.info({ jobId: job.id, index: shard.index, workerId: shard.workerId }, 'agent not connected here; the assignment is sent when it connects');
    }
  }

  private gangLayout(job: JobRecord): GangLayout {
    const workers = this.cache.shardsOf(job.id).map((s) => s.value.workerId ?? '');
    return { workers, masterAddress: this.link.advertiseAddress(workers[0]!) ?? '127.0.0.1', masterPort: job.masterPort ?? 29_500 };
  }

  // ---- ends of attempts ---------------------------------------------------------------

  /** endAttempt applies the rules: success, retry, give up — for a gang, for all ranks at once. */
  private async endAttempt(job: JobRecord, shard: ShardRecord, end: AttemptEnd): Promise<void> {
    // The worker's record: a shard it completed, or one it lost. A non-zero exit is the job's doing.
    if (shard.workerId && (succeeded(end) || end.lost)) {
      // Weighted by GPU-hours (a CPU-only shard counts as one GPU), so losing a day-long 8-GPU gang rank costs more than a short test.
      const hours = shard.startedAtMs ? Math.max(0, Date.now() - shard.startedAtMs) / 3_600_000 : 0;
      this.observer?.shardOutcome(shard.workerId, end.lost ? 'lost' : 'completed', Math.max(1, job.spec.resources.gpuCount) * hours);
    }
    if (job.spec.partition.kind === 'gang') return this.endGangRank(job, shard, end);
    const version = this.cache.shards.get(job.id)?.get(shard.index);
    if (!version) return;
    const now = Date.now();
    let next: ShardRecord;
    const events: JobEventBody[] = [];
    if (succeeded(end)) {
      next = withEnd(shard, end, 'succeeded', now);
      events.push(resultEvent(next));
    } else if (retryable(job, shard, end)) {
      next = nextAttempt(shard);
      events.push(shardEvent({ ...shard, state: end.lost ? 'lost' : 'failed' }, `attempt ${shard.attempt} ${end.lost ? 'lost' : 'failed'}: ${describe(end)}; retrying as attempt ${next.attempt}`));
    } else {
      next = withEnd(shard, end, end.cancelled || job.cancelRequested ? 'cancelled' : 'failed', now);
      events.push(resultEvent(next));
    }
    const revision = await this.meter.apply(job, [shard], now, [{ key: version.key, expect: version.modRevision, value: next }], events);
    if (revision === undefined) return;
    this.cache.setShard(next, revision);
    if (isTerminalShard(next.state)) this.metrics.shardResults.inc({ state: next.state });
    await this.finishIfDone(job.id);
    this.kick();
  }

  private async endGangRank(job: JobRecord, shard: ShardRecord, end: AttemptEnd): Promise<void> {
    const ranks = this.cache.shardsOf(job.id);
    const now = Date.now();
    if (succeeded(end)) {
      const next = withEnd(shard, end, 'succeeded', now);
      const others = ranks.filter((r) => r.value.index !== shard.index);
      if (others.every((r) => r.value.state === 'succeeded' && r.value.attempt === shard.attempt)) {
        // The last rank of a successful gang: every rank's result is final now, in one transaction.
        const all = ranks.map((r) => (r.value.index === shard.index ? next : r.value));
        const revision = await this.meter.apply(
          job,
          [shard],
          now,
          ranks.map((r, i) => ({ key: r.key, expect: r.modRevision, value: all[i]! })),
          all.map(resultEvent),
        );
        if (revision === undefined) return;
        for (const s of all) {
          this.cache.setShard(s, revision);
          this.metrics.shardResults.inc({ state: 'succeeded' });
        }
        await this.finishIfDone(job.id);
        return;
      }
      const version = ranks.find((r) => r.value.index === shard.index)!;
      const revision = await this.meter.apply(job, [shard], now, [{ key: version.key, expect: version.modRevision, value: next }], [shardEvent(next, `rank ${shard.index} finished; waiting for the other ranks`)]);
      if (revision !== undefined) this.cache.setShard(next, revision);
      return;
    }
    // A rank failed or was lost: the whole gang stops, then restarts together or gives up.
    const reason = `rank ${shard.index} ${end.lost ? 'lost' : 'failed'}: ${describe(end)}`;
    for (const r of ranks) {
      if (r.value.index !== shard.index && (r.value.state === 'placed' || r.value.state === 'running') && r.value.workerId) {
        this.link.cancel(r.value.workerId, { jobId: job.id, index: r.value.index, attempt: r.value.attempt }, `gang stopped: ${reason}`);
      }
    }
    const jobVersion = this.cache.jobs.get(job.id)!;
    const retry = retryable(job, shard, end);
    const nextRanks = ranks.map((r) =>
      retry ? nextAttempt(r.value) : withEnd(r.value, r.value.index === shard.index ? end : { cancelled: true, error: `gang stopped: ${reason}` }, job.cancelRequested || end.cancelled ? 'cancelled' : r.value.index === shard.index ? 'failed' : 'cancelled', now),
    );
    const nextJob: JobRecord = retry ? { ...job, gangAttempt: (job.gangAttempt ?? 1) + 1 } : job;
    const events: JobEventBody[] = retry
      ? [{ kind: 'job-state', state: job.state, message: `gang attempt ${shard.attempt} stopped (${reason}); restarting all ${ranks.length} ranks as attempt ${shard.attempt + 1}` }]
      : nextRanks.map(resultEvent);
    // Every rank that was running ends here (the others are told to stop): each is metered up to now.
    const revision = await this.meter.apply(
      job,
      ranks.map((r) => r.value),
      now,
      [{ key: jobVersion.key, expect: jobVersion.modRevision, value: nextJob }, ...ranks.map((r, i) => ({ key: r.key, expect: r.modRevision, value: nextRanks[i]! }))],
      events,
    );
    if (revision === undefined) return;
    this.cache.setJob(nextJob, revision);
    for (const s of nextRanks) {
      this.cache.setShard(s, revision);
      if (isTerminalShard(s.state)) this.metrics.shardResults.inc({ state: s.state });
    }
    await this.finishIfDone(job.id);
    this.kick();
  }

  private async cancelJob(jobId: string): Promise<void> {
    const job = this.cache.jobs.get(jobId)!.value;
    for (const version of this.cache.shardsOf(jobId)) {
      const shard = version.value;
      if (shard.state === 'pending') {
        const next = withEnd(shard, { cancelled: true }, 'cancelled', Date.now());
        const revision = await this.store.apply([{ key: version.key, expect: version.modRevision, value: next }], [resultEvent(next)], jobId, job.lease);
        if (revision !== undefined) this.cache.setShard(next, revision);
      } else if ((shard.state === 'placed' || shard.state === 'running') && shard.workerId) {
        this.link.cancel(shard.workerId, { jobId, index: shard.index, attempt: shard.attempt }, 'job cancelled');
      }
    }
    await this.finishIfDone(jobId);
  }

  /** finishIfDone writes the job's final state and summary once every shard is terminal. */
  private async finishIfDone(jobId: string): Promise<void> {
    const version = this.cache.jobs.get(jobId);
    if (!version || isTerminalJob(version.value.state)) return;
    const shards = this.cache.shardsOf(jobId).map((s) => s.value);
    if (shards.length < version.value.shardCount || !shards.every((s) => isTerminalShard(s.state))) return;
    const count = (state: string): number => shards.filter((s) => s.state === state).length;
    const [ok, failed, cancelled] = [count('succeeded'), count('failed'), count('cancelled')];
    const state: JobState = failed > 0 ? 'failed' : cancelled > 0 ? 'cancelled' : 'succeeded';
    const now = Date.now();
    const job: JobRecord = { ...version.value, state, finishedAtMs: now };
    const wallMs = now - version.value.createdAtMs;
    const message = `${state}: ${ok} succeeded, ${failed} failed, ${cancelled} cancelled in ${(wallMs / 1000).toFixed(1)} s`;
    const revision = await this.store.apply(
      [{ key: version.key, expect: version.modRevision, value: job }],
      [{ kind: 'job-state', state, message }, { kind: 'summary', state, succeeded: ok, failed, cancelled, wallMs, message }],
      jobId,
      version.value.lease,
    );
    if (revision !== undefined) {
      this.cache.setJob(job, revision);
      this.logger.info({ jobId, state, succeeded: ok, failed, cancelled }, 'job finished');
    }
  }

  private async setJobState(jobId: string, state: JobState, message: string): Promise<void> {
    const version = this.cache.jobs.get(jobId);
    if (!version || version.value.state === state || isTerminalJob(version.value.state)) return;
    const job = { ...version.value, state };
    const revision = await this.store.apply([{ key: version.key, expect: version.modRevision, value: job }], [{ kind: 'job-state', state, message }], jobId, job.lease);
    if (revision !== undefined) this.cache.setJob(job, revision);
  }

  /** current finds the job and shard an agent report is about, if it is still the live attempt there. */
  private current(ref: ShardRef, workerId: string): { job: JobRecord; shard: Versioned<ShardRecord> } | undefined {
    const job = this.cache.jobs.get(ref.jobId)?.value;
    const shard = this.cache.shards.get(ref.jobId)?.get(ref.index);
    if (!job || !shard || shard.value.attempt !== ref.attempt || shard.value.workerId !== workerId) return undefined;
    return { job, shard };
  }
}

function isTerminalJob(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

function shardEvent(shard: ShardRecord, message: string): JobEventBody {
  return { kind: 'shard-state', index: shard.index, attempt: shard.attempt, state: shard.state, ...(shard.workerId && { workerId: shard.workerId }), message };
}

/** quotaHold is the decision for a shard its tenant's quota holds back: no worker was asked. */
function quotaHold(reason: string, nodesTotal: number): Explanation {
  return { nodesTotal, nodesEvaluated: 0, filtered: {}, candidates: [], summary: `${reason}; waiting` };
}

function stored(shard: ShardRecord, explanation: Explanation): StoredExplanation {
  return {
    shardIndex: shard.index,
    attempt: shard.attempt,
    timeMs: Date.now(),
    summary: explanation.summary,
    nodesTotal: explanation.nodesTotal,
    nodesEvaluated: explanation.nodesEvaluated,
    filtered: explanation.filtered,
    candidates: explanation.candidates,
  };
}
