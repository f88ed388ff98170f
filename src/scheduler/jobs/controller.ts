/**
 * controller: runs jobs. It places pending shards (the pure pipeline in ../placement), commits
 * placements to etcd with compare-and-swap, hands assignments to agents, records what agents
 * report, reruns what lost workers were doing, and finishes jobs — each result exactly once.
 *
 * A pass does only what changed: the jobs the cache marked dirty, the workers holding shards,
 * and placement only when supply, demand or quotas moved. The rules for the end of an attempt,
 * a cancel and a finish are pure (attempt-end.ts); the controller commits their plans. Starts
 * and output are batched per job into one transaction each, off the placement path. Every
 * mutation runs on one queue, so within a replica two handlers never race on a shard; across
 * replicas (or against a stale report) the store's compares decide who wins.
 */
import { randomInt } from 'node:crypto';
import type { AttemptEnd, ShardRef } from '../../common/attempt.js';
import { holdsWorker as holds, isTerminalJob, isTerminalShard, type JobEventBody, type JobRecord, type ShardRecord } from '../../common/job.js';
import type { Logger } from '../../common/logger.js';
import { MAX_TXN_BYTES, MAX_TXN_OPS } from '../../store/kv.js';
import type { JobStore, StoredExplanation, Versioned } from '../../store/job-store.js';
import type { TenantStore } from '../../store/tenant-store.js';
import type { TopologyView } from '../../store/topology-view.js';
import { placeGang } from '../placement/gang.js';
import type { NodeIndex } from '../placement/node-index.js';
import { buildIndex, type NodeExtras } from '../placement/snapshot.js';
import { newPlacementStack } from '../placement/stack.js';
import type { Explanation, Placement, ShardAsk } from '../placement/types.js';
import { UsageOverlay, type UsageTable } from '../placement/usage.js';
import { BATCH_SHARDS, planAttemptEnd, planCancel, planFinish, planGangRankEnd, planGangResults, shardEvent, type Plan } from './attempt-end.js';
import type { JobCache } from './cache.js';
import { shardEnv, type GangLayout } from './env.js';
import { UsageMeter, type MeterMetrics } from './meter.js';
import { QuotaGate, type QuotaBook } from './quota-gate.js';
import { DEFAULT_OUTPUT_LIMITS, OutputLimiter, type OutputAdmission, type OutputLimits } from './output-limits.js';

/** AgentLink is how the controller reaches connected agents (the agent sessions implement it). */
export interface AgentLink {
  assign(workerId: string, job: JobRecord, shard: ShardRecord, env: Record<string, string>): boolean;
  cancel(workerId: string, ref: ShardRef, reason: string): boolean;
  advertiseAddress(workerId: string): string | undefined;
  /** suspect: the worker's stream broke recently; its lease may still be alive, but new work should go elsewhere. */
  suspect(workerId: string): boolean;
}

/** TrustFacts: what placement asks of trust, and where shard outcomes go (the reputation log). */
export interface TrustFacts {
  extras: NodeExtras;
  shardOutcome(workerId: string, outcome: 'completed' | 'lost', gpuHours: number): void;
}

/** ControllerMetrics are observed by the controller. */
export interface ControllerMetrics extends MeterMetrics {
  dispatchLatency: { observe(seconds: number): void };
  placements: { inc(labels: { outcome: string }, n?: number): void };
  shardResults: { inc(labels: { state: string }): void };
  /** Shard output bytes received, by what became of them (stored, or the reason they were dropped). */
  outputBytes?: { inc(labels: { outcome: string }, n?: number): void };
  /** Seconds per scheduling pass. */
  passSeconds?: { observe(seconds: number): void };
}

/** ControllerParts is everything the controller works with, built before it. */
export interface ControllerParts {
  store: JobStore;
  cache: JobCache;
  tenants: TenantStore;
  topology: TopologyView;
  link: AgentLink;
  metrics: ControllerMetrics;
  logger: Logger;
  trust?: TrustFacts;
  outputLimits?: OutputLimits;
}

/** COMMITS_IN_FLIGHT: jobs whose placements commit at once (each job's batches go in order: each rewrites its status). */
const COMMITS_IN_FLIGHT = 4;
/** INDEX_MAX_AGE_MS: the placement index is rebuilt on topology or trust changes, and at least this often (suspicion expires with time). */
const INDEX_MAX_AGE_MS = 1_000;
/** SAFETY_PASS_MS: a full placement pass runs at least this often, whatever the change feed said. */
const SAFETY_PASS_MS = 5_000;
/** REPORT_FLUSH_MS: starts and output are gathered this long, then written per job in one transaction. */
const REPORT_FLUSH_MS = 20;
/** REPORT_RETRIES: a batch of reports that lost a compare is re-checked and retried this often. */
const REPORT_RETRIES = 3;
/** REPORT_MAX_AGE_MS: output that could not be written for this long is dropped (logged); starts never are. */
const REPORT_MAX_AGE_MS = 60_000;
/** MAX_LOG_EVENT_BYTES: output chunks are stored in pieces of at most this (a piece and its base64 fit any transaction). */
const MAX_LOG_EVENT_BYTES = 256 * 1024;
/** END_RETRIES: an attempt end that lost a compare re-reads the job and tries again this often. */
const END_RETRIES = 3;

interface StartReport {
  workerId: string;
  ref: ShardRef;
  startedAtMs: number;
  agentStartedAtMs: number;
}
interface OutputReport {
  workerId: string;
  ref: ShardRef;
  event: JobEventBody & { kind: 'log' };
  receivedAtMs: number;
}

export class JobController {
  readonly cache: JobCache;
  /** output decides on receipt what of agents' output is stored (caps and rate, output-limits.ts). */
  readonly output: OutputLimiter;
  private readonly store: JobStore;
  private readonly topology: TopologyView;
  private readonly link: AgentLink;
  private readonly metrics: ControllerMetrics;
  private readonly logger: Logger;
  private readonly trust: TrustFacts | undefined;
  private queue: Promise<void> = Promise.resolve();
  private passScheduled = false;
  private readonly stack = newPlacementStack();
  private stopped = false;
  /** meter adds each ended attempt's GPU- and CPU-seconds to its tenant's usage, in the same transaction. */
  private readonly meter: UsageMeter;
  /** quotas holds back placements a tenant's quota does not allow. */
  private readonly quotas: QuotaGate;
  /** Jobs with pending shards, not finished and not cancelling: placement's demand. */
  private readonly waiting = new Map<string, number>();
  /** placementDue: supply, demand or quotas moved since the last placement. */
  private placementDue = true;
  private index: { built: NodeIndex; atMs: number } | undefined;
  private lastFullPassMs = 0;
  private readonly starts = new Map<string, StartReport[]>();
  private readonly outputs = new Map<string, OutputReport[]>();
  private flushScheduled = false;
  private safety: NodeJS.Timeout | undefined;
  /** started: the cache and quotas are loaded whole; no pass runs on a half-read store (it would see held GPUs as free). */
  private started = false;
  /** Attempt ends not yet recorded (a lost compare, a store error): retried each pass, acked only once recorded or stale. */
  private readonly pendingEnds = new Map<string, { workerId: string; ref: ShardRef; end: AttemptEnd; receivedAtMs: number; acks: Array<() => void> }>();
  /** Consecutive report flushes that could not write everything (sets the retry backoff). */
  private reportFailures = 0;
  private retryScheduled = false;

  constructor(parts: ControllerParts) {
    ({ store: this.store, cache: this.cache, topology: this.topology, link: this.link, metrics: this.metrics, logger: this.logger, trust: this.trust } = parts);
    this.output = new OutputLimiter(parts.outputLimits ?? DEFAULT_OUTPUT_LIMITS);
    this.quotas = new QuotaGate(parts.tenants, () => this.capacityChanged());
    this.meter = new UsageMeter(this.store, parts.tenants, this.metrics, (tenantId) => this.quotas.invalidate(tenantId));
  }

  async start(): Promise<void> {
    await this.quotas.start();
    await this.cache.start(() => this.kick());
    this.started = true;
    this.topology.on('change', () => this.capacityChanged());
    this.safety = setInterval(() => this.capacityChanged(), SAFETY_PASS_MS).unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.safety);
    await this.queue;
    await this.quotas.stop();
    await this.cache.stop();
  }

  /** kick asks for a pass soon; many kicks in a burst make one pass. */
  kick(): void {
    if (this.passScheduled || this.stopped || !this.started) return;
    this.passScheduled = true;
    setTimeout(() => {
      this.passScheduled = false;
      this.enqueue(() => this.pass());
    }, 20).unref();
  }

  /** capacityChanged: workers, their trust or a quota changed — placement runs on the next pass. */
  capacityChanged(): void {
    this.placementDue = true;
    this.index = undefined;
    this.kick();
  }

  /** idle resolves once queued work is done (tests and shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** busy: the worker holds a placed or running shard (challenges wait until it does not). */
  busy(workerId: string): boolean {
    return this.cache.busy(workerId);
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      this.logger.error({ err }, 'job controller step failed; the next pass retries');
      setTimeout(() => this.capacityChanged(), 500).unref();
    });
  }

  // ---- agent reports ------------------------------------------------------------------

  /** onConnected reconciles what an agent runs with what the store says it should. */
  onConnected(workerId: string, active: ShardRef[]): void {
    this.output.connected(workerId);
    this.enqueue(() => {
      const activeKeys = new Set(active.map((r) => `${r.jobId}/${r.index}/${r.attempt}`));
      for (const ref of active) {
        const shard = this.cache.shard(ref.jobId, ref.index)?.value;
        if (!shard || shard.attempt !== ref.attempt || shard.workerId !== workerId || isTerminalShard(shard.state)) {
          this.link.cancel(workerId, ref, 'stale attempt: the scheduler no longer expects it');
        } else if (this.cache.jobs.get(ref.jobId)?.value.cancelRequested) {
          // A cancel sent while the agent was away is sent again.
          this.link.cancel(workerId, ref, 'job cancelled');
        }
      }
      for (const { value: shard } of this.cache.onWorker(workerId)) {
        if (activeKeys.has(`${shard.jobId}/${shard.index}/${shard.attempt}`)) continue;
        const job = this.cache.jobs.get(shard.jobId)?.value;
        const current = this.cache.shard(shard.jobId, shard.index);
        if (!job || !current || current.value.attempt !== shard.attempt || !holds(current.value)) continue;
        if (current.value.state === 'placed') this.dispatch(job, current.value);
        else this.onFinished(workerId, { jobId: shard.jobId, index: shard.index, attempt: shard.attempt }, { lost: true, error: `the agent on ${workerId} restarted and no longer runs it` }, () => undefined);
      }
      return Promise.resolve();
    });
  }

  /** onStarted: `agentStartedAtMs` is the agent's clock, trusted for the latency metric only when plausible. */
  onStarted(workerId: string, ref: ShardRef, startedAtMs: number, agentStartedAtMs = startedAtMs): void {
    const list = this.starts.get(ref.jobId) ?? [];
    list.push({ workerId, ref, startedAtMs, agentStartedAtMs });
    this.starts.set(ref.jobId, list);
    this.scheduleFlush();
  }

  /**
   * onOutput decides at once what of a chunk is kept (output-limits.ts) and gathers only that,
   * so an agent sending faster than etcd writes never grows a queue. A flood — output past the
   * cap the agent was told — ends the attempt as lost (it reruns elsewhere); the caller cuts the
   * agent off and flags the worker.
   */
  onOutput(workerId: string, ref: ShardRef, stream: 'stdout' | 'stderr', data: Buffer, truncated: boolean): OutputAdmission {
    const shard = this.current(ref, workerId)?.shard.value;
    const expected = shard !== undefined && holds(shard);
    const admission = expected ? this.output.admit(ref, data, truncated) : this.output.strayOutput(workerId, ref, data.length);
    const chunk = admission.chunk;
    if (chunk?.data.length) this.metrics.outputBytes?.inc({ outcome: 'stored' }, chunk.data.length);
    if (admission.dropped) this.metrics.outputBytes?.inc({ outcome: `dropped_${admission.reason ?? 'attempt_cap'}` }, admission.dropped);
    if (chunk) {
      const list = this.outputs.get(ref.jobId) ?? [];
      // A large chunk is stored in pieces; only the last carries the cut marker.
      for (let at = 0; at < chunk.data.length || at === 0; at += MAX_LOG_EVENT_BYTES) {
        const last = at + MAX_LOG_EVENT_BYTES >= chunk.data.length;
        const piece = chunk.data.subarray(at, at + MAX_LOG_EVENT_BYTES);
        list.push({ workerId, ref, receivedAtMs: Date.now(), event: { kind: 'log', index: ref.index, attempt: ref.attempt, stream, dataBase64: piece.toString('base64'), truncated: last && chunk.truncated, ...(last && chunk.note && { note: chunk.note }) } });
      }
      this.outputs.set(ref.jobId, list);
      this.scheduleFlush();
    }
    // The output kept up to the cap is written first (recordEnd flushes), then the attempt ends as lost.
    if (admission.flood && expected) this.onFinished(workerId, ref, { lost: true, error: `worker ${workerId} cut off: it ${admission.flood.message}` }, () => undefined);
    return admission;
  }

  /**
   * onFinished records an attempt's end; `ack` runs once the end is recorded or known stale —
   * never before: an end that lost its compare or met a store error is retried every pass.
   */
  onFinished(workerId: string, ref: ShardRef, end: AttemptEnd, ack: () => void): void {
    const key = `${workerId}/${ref.jobId}/${ref.index}/${ref.attempt}`;
    const pending = this.pendingEnds.get(key);
    if (pending) pending.acks.push(ack);
    else this.pendingEnds.set(key, { workerId, ref, end, receivedAtMs: Date.now(), acks: [ack] });
    this.enqueue(() => this.recordEnd(key));
  }

  /** recordEnd tries one pending attempt end; it stays pending when it could not be recorded. */
  private async recordEnd(key: string): Promise<void> {
    const pending = this.pendingEnds.get(key);
    if (!pending) return;
    const { workerId, ref, end, receivedAtMs } = pending;
    try {
      // Starts and output gathered before the end are written first, in order; until they are, the end waits.
      await this.flushReports();
      if (this.reportsPending(ref, workerId)) return;
      const found = this.current(ref, workerId);
      // The record says truncated when the scheduler dropped output too, whatever the agent says.
      const recorded = !found || !holds(found.shard.value) || (await this.endAttempt(found.shard.value, workerId, this.output.cutShort(ref) ? { ...end, outputTruncated: true } : end, receivedAtMs));
      if (!recorded) return;
    } catch (err) {
      this.logger.warn({ err, ...ref, workerId }, 'recording an attempt end failed; retrying on the next pass');
      return;
    }
    this.pendingEnds.delete(key);
    for (const ack of pending.acks) ack();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.stopped) return;
    this.flushScheduled = true;
    setTimeout(() => this.enqueue(() => this.flushReports()), REPORT_FLUSH_MS).unref();
  }

  /** flushReports writes the gathered starts and output: per job, in transactions under etcd's limits. */
  private async flushReports(): Promise<void> {
    this.flushScheduled = false;
    const jobIds = new Set([...this.starts.keys(), ...this.outputs.keys()]);
    for (const jobId of jobIds) {
      const starts = this.starts.get(jobId) ?? [];
      const outputs = this.outputs.get(jobId) ?? [];
      this.starts.delete(jobId);
      this.outputs.delete(jobId);
      let written = false;
      try {
        for (let attempt = 0; attempt < REPORT_RETRIES && !written; attempt++) {
          written = await this.writeReports(jobId, starts, outputs);
          if (!written) await this.refresh(jobId, [...starts, ...outputs].map((r) => r.ref.index));
        }
      } catch (err) {
        this.logger.warn({ err, jobId }, 'writing starts and output failed; retrying');
      }
      if (written || (starts.length === 0 && outputs.length === 0)) continue;
      // Not written (other writers kept winning, or the store failed): put them back, ahead of newer
      // ones, and try again soon. Starts are never dropped (metering starts from them); output
      // waiting longer than REPORT_MAX_AGE_MS is, with a log line.
      const fresh = outputs.filter((o) => Date.now() - o.receivedAtMs < REPORT_MAX_AGE_MS);
      if (fresh.length < outputs.length) this.logger.error({ jobId, chunks: outputs.length - fresh.length }, 'dropping output that could not be written for a minute');
      this.starts.set(jobId, [...starts, ...(this.starts.get(jobId) ?? [])]);
      this.outputs.set(jobId, [...fresh, ...(this.outputs.get(jobId) ?? [])]);
      this.reportFailures = Math.min(this.reportFailures + 1, 6);
      if (!this.retryScheduled) {
        this.retryScheduled = true;
        setTimeout(() => {
          this.retryScheduled = false;
          this.scheduleFlush();
        }, 50 * 2 ** this.reportFailures).unref();
      }
      return;
    }
    this.reportFailures = 0;
  }

  /** reportsPending: starts or output of this attempt are gathered but not written yet. */
  private reportsPending(ref: ShardRef, workerId: string): boolean {
    const same = (r: { ref: ShardRef; workerId: string }): boolean => r.workerId === workerId && r.ref.index === ref.index && r.ref.attempt === ref.attempt;
    return (this.starts.get(ref.jobId) ?? []).some(same) || (this.outputs.get(ref.jobId) ?? []).some(same);
  }

  /** writeReports commits one job's starts and output; false when a compare failed (the caller refreshes and retries). */
  private async writeReports(jobId: string, starts: StartReport[], outputs: OutputReport[]): Promise<boolean> {
    while (starts.length || outputs.length) {
      const job = this.cache.jobs.get(jobId);
      if (!job || isTerminalJob(job.value.state)) return true;
      let [s0, o0] = [0, 0];
      const shards: Array<{ current: Versioned<ShardRecord>; next: ShardRecord }> = [];
      const events: JobEventBody[] = [];
      const guards = new Map<string, number>();
      const latencies: number[] = [];
      let bytes = 0;
      while (s0 < starts.length && shards.length < BATCH_SHARDS) {
        const s = starts[s0]!;
        const found = this.current(s.ref, s.workerId);
        if (found?.shard.value.state === 'placed' && !shards.some((c) => c.current.key === found.shard.key)) {
          const next: ShardRecord = { ...found.shard.value, state: 'running', startedAtMs: s.startedAtMs };
          shards.push({ current: found.shard, next });
          events.push(shardEvent(next, `running on ${s.workerId}`));
          const placedAt = found.shard.value.placedAtMs;
          // Clocks differ across machines: use the agent's start time only when it falls between placement and receipt.
          if (placedAt) latencies.push(((s.agentStartedAtMs >= placedAt && s.agentStartedAtMs <= s.startedAtMs ? s.agentStartedAtMs : s.startedAtMs) - placedAt) / 1000);
        }
        s0++;
      }
      // Puts: the status, each started shard, each event, and the job's "running" event: under etcd's 128 operations.
      while (o0 < outputs.length && 2 + shards.length + events.length < MAX_TXN_OPS) {
        const o = outputs[o0]!;
        const size = o.event.dataBase64.length + 256;
        if (events.length && bytes + size > MAX_TXN_BYTES / 2) break;
        const found = this.current(o.ref, o.workerId);
        // The shard key's revision guards the chunk: output of a superseded attempt is dropped.
        if (found && holds(found.shard.value)) {
          const pendingStart = shards.find((c) => c.current.key === found.shard.key);
          if (!pendingStart) guards.set(found.shard.key, found.shard.modRevision);
          events.push(o.event);
          bytes += size;
        }
        o0++;
      }
      const consume = (): void => {
        starts.splice(0, s0);
        outputs.splice(0, o0);
      };
      if (!events.length) {
        consume();
        continue;
      }
      const next = job.value.state === 'pending' && shards.length ? { ...job.value, state: 'running' as const } : undefined;
      if (next) events.push({ kind: 'job-state', state: 'running', message: 'first shard running' });
      const done = await this.store.apply({ job, ...(next && { next }), shards, events, guards: [...guards].map(([key, modRevision]) => ({ key, modRevision })) });
      if (!done) return false;
      consume();
      this.cache.setJob(done.job, done.revision);
      for (const s of shards) this.cache.setShard(s.next, done.revision);
      for (const l of latencies) this.metrics.dispatchLatency.observe(l);
    }
    return true;
  }

  /** refresh re-reads a job and some of its shards from the store after a lost compare (the watch may lag). */
  private async refresh(jobId: string, indices: number[]): Promise<void> {
    const job = await this.store.getJob(jobId);
    if (!job) return;
    this.cache.setJob(job.value, job.modRevision);
    const unique = [...new Set(indices)];
    const entries = await this.store.kv.getMany(unique.map((i) => this.store.keys.shard(jobId, i)));
    for (const entry of entries) {
      const shard = entry && this.store.decodeShard(entry);
      if (shard) this.cache.setShard(shard, entry.modRevision);
    }
    // What another writer did is known now; its watch echo will be skipped as already held.
    this.kick();
  }

  // ---- the scheduling pass ------------------------------------------------------------

  private async pass(): Promise<void> {
    if (this.stopped) return;
    const began = performance.now();
    // Reports gathered so far go first: an attempt that ends in this pass keeps what it printed.
    if (this.starts.size || this.outputs.size) await this.flushReports();
    // 0. Attempt ends not recorded yet (lost compares, store errors) are tried again.
    for (const key of [...this.pendingEnds.keys()]) await this.recordEnd(key);
    // 1. Shards on workers whose lease is gone: rerun them (a gang restarts whole). Only workers holding shards are looked at.
    for (const workerId of [...this.cache.workersHolding()]) {
      if (this.topology.isOnline(workerId)) continue;
      for (const { value: shard } of this.cache.onWorker(workerId)) {
        // Re-read each time: handling one shard may have restarted its gang or finished the job.
        const current = this.cache.shard(shard.jobId, shard.index)?.value;
        if (current && holds(current) && current.workerId === workerId) await this.endAttempt(current, workerId, { lost: true, error: `worker ${workerId} lost (lease expired)` });
      }
    }
    // 2. Jobs that changed: cancels, gang results, finishes; and whether each waits for placement.
    for (const jobId of this.cache.takeDirty()) {
      try {
        await this.settle(jobId);
      } catch (err) {
        // One job that cannot be settled (a corrupt record, a store error) does not stop the others.
        this.logger.error({ err, jobId }, 'settling a job failed; retrying on a later pass');
        this.cache.markDirty(jobId);
      }
    }
    // 3. Placement, when supply, demand or quotas moved.
    if (this.cache.takeFreed()) this.placementDue = true;
    if (this.placementDue || Date.now() - this.lastFullPassMs > SAFETY_PASS_MS) await this.place();
    this.metrics.passSeconds?.observe((performance.now() - began) / 1000);
  }

  /** settle brings one job up to date: cancel, gang results, finish; then files it as waiting or not. */
  private async settle(jobId: string): Promise<void> {
    const cancelling = this.cache.jobs.get(jobId)?.value;
    if (cancelling?.cancelRequested && !isTerminalJob(cancelling.state)) {
      // Running attempts are told to stop; their ends come back as reports.
      for (const c of planCancel(cancelling, [], this.cache.storedOf(jobId).filter(holds), Date.now()).cancels) this.link.cancel(c.workerId, c.ref, c.reason);
    }
    for (let round = 0; round < 1_000; round++) {
      const version = this.cache.jobs.get(jobId);
      if (!version) break;
      const job = version.value;
      if (isTerminalJob(job.state)) break;
      let plan: Plan | undefined;
      if (job.cancelRequested && this.cache.pendingCount(jobId) > 0) plan = planCancel(job, this.cache.pendingOf(jobId, BATCH_SHARDS), [], Date.now());
      plan ??= job.spec.partition.kind === 'gang' ? planGangResults(job, this.cache.shardsOf(jobId).map((s) => s.value)) : undefined;
      plan ??= planFinish(job, Date.now());
      if (!plan) break;
      if (!(await this.commit(version, plan))) break;
      const now = this.cache.status(jobId);
      if (now && isTerminalJob(now.state)) this.logger.info({ jobId, state: now.state, ...now.counts }, 'job finished');
    }
    const job = this.cache.jobs.get(jobId)?.value;
    const pending = this.cache.pendingCount(jobId);
    const waits = job !== undefined && !isTerminalJob(job.state) && !job.cancelRequested && pending > 0;
    // Placement runs when demand grew (a new job, a shard back to pending), not on every report of a job still waiting.
    if (waits && pending > (this.waiting.get(jobId) ?? 0)) this.placementDue = true;
    if (waits) this.waiting.set(jobId, pending);
    else this.waiting.delete(jobId);
  }

  /** commit writes a plan against the job as read; on success the cache, the agents and trust hear of it. */
  private async commit(job: Versioned<JobRecord>, plan: Plan, endedAtMs = Date.now()): Promise<boolean> {
    // Ending attempts are metered up to the time the plan was made for (the shard records say the same).
    const done = plan.ending.length ? await this.meter.apply({ job, ...plan.change }, plan.ending, endedAtMs) : await this.store.apply({ job, ...plan.change });
    if (!done) {
      this.cache.markDirty(job.value.id);
      return false;
    }
    this.cache.setJob(done.job, done.revision);
    for (const { next } of plan.change.shards ?? []) {
      this.cache.setShard(next, done.revision);
      if (isTerminalShard(next.state)) this.metrics.shardResults.inc({ state: next.state });
      if (!holds(next)) this.placementDue = true;
    }
    for (const c of plan.cancels) this.link.cancel(c.workerId, c.ref, c.reason);
    if (plan.outcome) this.trust?.shardOutcome(plan.outcome.workerId, plan.outcome.kind, plan.outcome.gpuHours);
    return true;
  }

  private async place(): Promise<void> {
    this.placementDue = false;
    this.lastFullPassMs = Date.now();
    const jobs = [...this.waiting.keys()]
      .map((id) => this.cache.jobs.get(id)?.value)
      .filter((j): j is JobRecord => j !== undefined && !isTerminalJob(j.state) && !j.cancelRequested && this.cache.pendingCount(j.id) > 0)
      .sort((a, b) => b.spec.priority - a.spec.priority || a.createdAtMs - b.createdAtMs);
    if (jobs.length === 0) return;
    const index = this.nodeIndex();
    // What workers hold, from the cache's per-worker index as placement asks; this pass's own reservations go on top.
    const usage = new UsageOverlay(this.cache.usageView());
    // Tenants' quotas come before the fleet: a job over its tenant's quota is not placed however free the workers are.
    const book = await this.quotas.book(jobs, this.cache.holding(), Date.now());
    const inFlight = new Set<Promise<void>>();
    for (const job of jobs) {
      const work = (job.spec.partition.kind === 'gang' ? this.placeGangJob(job, index, usage, book) : this.placeIndependent(job, index, usage, book)).catch((err: unknown) => {
        this.logger.error({ err, jobId: job.id }, 'placing a job failed; retrying on a later pass');
        this.placementDue = true;
      });
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
      if (inFlight.size >= COMMITS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (book.waitsForPeriod) this.quotas.wakeForNextPeriod(Date.now());
  }

  /**
   * nodeIndex is placement's view of the supply: only workers with a live lease (offline ones
   * neither place nor count), and not those whose stream just broke, so a restarted gang does not
   * land on a dying node. Rebuilt on topology or trust changes, and at least every second.
   */
  private nodeIndex(): NodeIndex {
    if (this.index && Date.now() - this.index.atMs < INDEX_MAX_AGE_MS) return this.index.built;
    const workers = [...this.topology.workers.values()].filter((w) => this.topology.isOnline(w.id) && !this.link.suspect(w.id));
    const built = buildIndex(workers.map((w) => [w, true] as [typeof w, boolean]), this.trust?.extras);
    this.index = { built, atMs: Date.now() };
    return built;
  }

  private askOf(job: JobRecord): ShardAsk {
    return { resources: job.spec.resources, regions: job.spec.regions, labels: job.spec.labels, requireVerified: job.spec.requireVerified, minReputation: job.spec.minReputation, minUptime30d: job.spec.minUptime30d, allowUnsandboxed: job.spec.allowUnsandboxed };
  }

  /** placeIndependent decides synchronously (so jobs placed after it see its reservations), then commits in order. */
  private async placeIndependent(job: JobRecord, index: NodeIndex, usage: UsageTable, book: QuotaBook): Promise<void> {
    const ask = this.askOf(job);
    const pendingCount = this.cache.pendingCount(job.id);
    const room = book.room(job, pendingCount);
    const pending = this.cache.pendingOf(job.id, Math.max(room.allowed, 1));
    const decided: Array<{ shard: Versioned<ShardRecord>; placement: Placement; explanation: Explanation }> = [];
    let failure: { shard: ShardRecord; explanation: Explanation } | undefined;
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
    const held = !failure && decided.length < pendingCount ? book.room(job, pendingCount - decided.length).reason : undefined;
    if (held !== undefined) failure = { shard: (pending[decided.length] ?? pending[0]!).value, explanation: quotaHold(held, index.size) };
    const now = Date.now();
    for (let i = 0; i < decided.length; i += BATCH_SHARDS) {
      if (!(await this.commitPlacements(job.id, decided.slice(i, i + BATCH_SHARDS), now))) break;
    }
    const explanations = [...decided.slice(-5).map((d) => stored(d.shard.value, d.explanation)), ...(failure ? [stored(failure.shard, failure.explanation)] : [])];
    if (explanations.length) await this.store.putExplanations(job.id, job.lease, explanations);
    if (failure) this.metrics.placements.inc({ outcome: held !== undefined ? 'quota' : 'unplaceable' });
  }

  private async commitPlacements(jobId: string, batch: Array<{ shard: Versioned<ShardRecord>; placement: Placement }>, now: number): Promise<boolean> {
    const job = this.cache.jobs.get(jobId);
    if (!job) return false;
    const shards = batch.map(({ shard, placement }) => ({ current: shard, next: { ...shard.value, state: 'placed' as const, workerId: placement.workerId, gpuIndices: placement.gpuIndices, placedAtMs: now } }));
    const done = await this.store.apply({ job, shards, events: shards.map((s) => shardEvent(s.next, `placed on ${s.next.workerId}`)) });
    this.metrics.placements.inc({ outcome: done === undefined ? 'conflict' : 'placed' }, batch.length);
    if (!done) {
      this.placementDue = true;
      return false;
    }
    this.cache.setJob(done.job, done.revision);
    for (const s of shards) {
      this.cache.setShard(s.next, done.revision);
      this.dispatch(done.job, s.next);
    }
    return true;
  }

  private async placeGangJob(job: JobRecord, index: NodeIndex, usage: UsageTable, book: QuotaBook): Promise<void> {
    const ranks = this.cache.shardsOf(job.id);
    // A gang is placed only when every rank waits at the same attempt: never half a gang.
    if (this.cache.pendingCount(job.id) !== ranks.length) return;
    const room = book.room(job, ranks.length);
    if (room.allowed < ranks.length) {
      await this.store.putExplanations(job.id, job.lease, [stored(ranks[0]!.value, quotaHold(room.reason!, index.size))]);
      this.metrics.placements.inc({ outcome: 'quota' });
      return;
    }
    const decision = placeGang(this.stack, index, usage, this.askOf(job), ranks.length);
    if (!decision.ok) {
      await this.store.putExplanations(job.id, job.lease, [stored(ranks[decision.failedRank]!.value, decision.explanation)]);
      this.metrics.placements.inc({ outcome: 'unplaceable' });
      return;
    }
    book.reserve(job, ranks.length);
    // Later jobs of this pass see the gang's GPUs as taken (placeGang tried the ranks on a scratch copy).
    for (const p of decision.placements) usage.reserve(p, this.askOf(job));
    const now = Date.now();
    const version = this.cache.jobs.get(job.id)!;
    const shards = ranks.map((r, rank) => ({ current: r, next: { ...r.value, state: 'placed' as const, workerId: decision.placements[rank]!.workerId, gpuIndices: decision.placements[rank]!.gpuIndices, placedAtMs: now } }));
    const where = [...new Set(shards.map((s) => s.next.workerId))].join(', ');
    const done = await this.store.apply({
      job: version,
      next: { ...version.value, masterPort: randomInt(20_000, 40_000) },
      shards,
      events: [{ kind: 'job-state', state: job.state, message: `gang attempt ${shards[0]!.next.attempt}: ${shards.length} ranks placed on ${where}` }],
    });
    this.metrics.placements.inc({ outcome: done === undefined ? 'conflict' : 'placed' }, shards.length);
    if (!done) {
      this.placementDue = true;
      return;
    }
    this.cache.setJob(done.job, done.revision);
    for (const s of shards) this.cache.setShard(s.next, done.revision);
    await this.store.putExplanations(job.id, job.lease, shards.map((s, rank) => stored(s.next, decision.explanations[rank]!)));
    for (const s of shards) this.dispatch(done.job, s.next);
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

  /** endAttempt commits the rules' plan for an attempt's end; true once recorded (or no longer current), false when others kept winning. */
  private async endAttempt(shard: ShardRecord, workerId: string, end: AttemptEnd, endedAtMs = Date.now()): Promise<boolean> {
    const ref = { jobId: shard.jobId, index: shard.index, attempt: shard.attempt };
    for (let attempt = 0; attempt < END_RETRIES; attempt++) {
      const found = this.current(ref, workerId);
      if (!found || !holds(found.shard.value)) return true;
      const job = this.cache.jobs.get(ref.jobId)!;
      // The attempt ended when its report arrived, not when a retry finally recorded it (metering runs to here).
      const now = endedAtMs;
      const plan =
        job.value.spec.partition.kind === 'gang'
          ? planGangRankEnd(job.value, this.cache.shardsOf(ref.jobId), found.shard, end, now)
          : planAttemptEnd(job.value, found.shard, end, now);
      if (await this.commit(job, plan, now)) {
        await this.settle(ref.jobId);
        this.kick();
        return true;
      }
      await this.refresh(ref.jobId, job.value.spec.partition.kind === 'gang' ? this.cache.shardsOf(ref.jobId).map((s) => s.value.index) : [ref.index]);
    }
    this.logger.warn({ ...ref, workerId }, 'an attempt end kept losing to other writers; the next pass tries again');
    return false;
  }

  /** current finds the job and shard an agent report is about, if it is still the live attempt there. */
  private current(ref: ShardRef, workerId: string): { job: JobRecord; shard: Versioned<ShardRecord> } | undefined {
    const job = this.cache.jobs.get(ref.jobId)?.value;
    const shard = this.cache.shard(ref.jobId, ref.index);
    if (!job || !shard || shard.value.attempt !== ref.attempt || shard.value.workerId !== workerId) return undefined;
    return { job, shard };
  }
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
