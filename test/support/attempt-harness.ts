/**
 * attempt-harness: one job and its shards in memory, for checking the attempt-end rules
 * (src/scheduler/jobs/attempt-end.ts) the way Nomad's scheduler harness checks plans. A plan's
 * change is applied as JobStore.apply applies it — shard compares, counts from each shard
 * transition, numbered events, the job's `next`, etcd's request limits — and what the plan asks
 * of the rest of Tessera (cancels to agents, metered attempts, worker outcomes) is recorded.
 */
import type { AttemptEnd } from '../../src/common/attempt.js';
import { emptyCounts, isTerminalShard, jobSpecSchema, pendingShard, shardCountOf, type JobEvent, type JobRecord, type ShardRecord } from '../../src/common/job.js';
import { BATCH_SHARDS, planAttemptEnd, planCancel, planFinish, planGangRankEnd, planGangResults, type Plan } from '../../src/scheduler/jobs/attempt-end.js';
import type { Versioned } from '../../src/store/job-store.js';
import { Keys } from '../../src/store/keys.js';
import { MAX_TXN_BYTES, MAX_TXN_OPS } from '../../src/store/kv.js';

const keys = new Keys();
const terminalJob = (job: JobRecord): boolean => ['succeeded', 'failed', 'cancelled'].includes(job.state);

export class AttemptHarness {
  job: JobRecord;
  readonly events: JobEvent[] = [];
  readonly cancels: Plan['cancels'] = [];
  /** Attempts charged to the tenant: the running ones among each plan's `ending`, as UsageMeter charges them. */
  readonly metered: ShardRecord[] = [];
  readonly outcomes: Array<NonNullable<Plan['outcome']>> = [];
  /** Every plan applied, in order. */
  readonly plans: Plan[] = [];
  private readonly stored = new Map<number, Versioned<ShardRecord>>();
  private revision = 1;

  /** A submitted job, as JobStore.submit writes it: all shards pending at attempt 1, one event. */
  constructor(spec: { maxAttempts?: number; gpuCount?: number; partition: { kind: 'gang'; worldSize: number } | { kind: 'independent'; shardCount: number } }) {
    const parsed = jobSpecSchema.parse({ name: 'harness', entrypoint: { command: 'train' }, resources: { gpuCount: spec.gpuCount ?? 0 }, maxAttempts: spec.maxAttempts ?? 3, partition: spec.partition });
    const count = shardCountOf(parsed);
    const gang = parsed.partition.kind === 'gang';
    this.job = { id: 'j-00000000000000aa', tenantId: 't-1', spec: parsed, state: 'pending', shardCount: count, counts: { ...emptyCounts(), pending: count }, eventSeq: 1, cancelRequested: false, createdAtMs: 0, lease: '1', ...(gang && { gangAttempt: 1 }) };
    this.events.push({ kind: 'job-state', state: 'pending', message: 'submitted', sequence: 1, timeMs: 0 });
  }

  get gang(): boolean {
    return this.job.spec.partition.kind === 'gang';
  }

  /** shard is the stored record (never written: pending at attempt 1, revision 0). */
  shard(index: number): Versioned<ShardRecord> {
    return this.stored.get(index) ?? { key: keys.shard(this.job.id, index), value: pendingShard(this.job.id, index), modRevision: 0 };
  }

  shards(): Array<Versioned<ShardRecord>> {
    return Array.from({ length: this.job.shardCount }, (_, i) => this.shard(i));
  }

  pending(): Array<Versioned<ShardRecord>> {
    return this.shards().filter((s) => s.value.state === 'pending');
  }

  /** recount counts the records themselves (what the job's counts must always agree with). */
  recount(): JobRecord['counts'] {
    const counts = emptyCounts();
    for (const s of this.shards()) counts[s.value.state] += 1;
    return counts;
  }

  /** apply commits a plan's change as JobStore.apply would, or throws where etcd would refuse it. */
  apply(plan: Plan, nowMs = 0): void {
    const { shards = [], events = [], next } = plan.change;
    for (const { current } of shards) {
      if (current.modRevision !== this.shard(current.value.index).modRevision) throw new Error(`shard ${current.value.index}: stale compare`);
    }
    const counts = { ...this.job.counts };
    for (const { current, next: n } of shards) {
      counts[current.value.state] -= 1;
      counts[n.state] += 1;
    }
    const job: JobRecord = { ...(next ?? this.job), counts, eventSeq: this.job.eventSeq + events.length };
    const numbered = events.map((e, i) => ({ ...e, sequence: this.job.eventSeq + 1 + i, timeMs: nowMs }));
    // etcd counts bytes, not UTF-16 units.
    const { spec, ...status } = job;
    const puts = [
      [keys.job(job.id), JSON.stringify({ ...status, name: spec.name })],
      ...shards.map(({ current, next: n }) => [current.key, JSON.stringify(n)]),
      ...numbered.map((e) => [keys.event(job.id, e.sequence), JSON.stringify(e)]),
    ];
    const bytes = puts.reduce((sum, kv) => sum + Buffer.byteLength(kv.join('')), 0);
    if (bytes > MAX_TXN_BYTES || puts.length > MAX_TXN_OPS) throw new Error(`change of ${bytes} bytes in ${puts.length} operations is over the store's limit`);
    this.revision += 1;
    this.job = job;
    for (const { current, next: n } of shards) this.stored.set(n.index, { key: current.key, value: n, modRevision: this.revision });
    this.events.push(...numbered);
    this.cancels.push(...plan.cancels);
    this.metered.push(...plan.ending.filter((s) => s.state === 'running' && s.startedAtMs !== undefined));
    if (plan.outcome) this.outcomes.push(plan.outcome);
    this.plans.push(plan);
  }

  /** start places and starts a pending shard on a worker (placement's part, done directly). */
  start(index: number, workerId: string, nowMs = 0): void {
    const current = this.shard(index);
    if (current.value.state !== 'pending') throw new Error(`shard ${index} is ${current.value.state}, not pending`);
    const next: ShardRecord = { ...current.value, state: 'running', workerId, placedAtMs: nowMs, startedAtMs: nowMs };
    this.apply({ change: { shards: [{ current, next }], ...(this.job.state === 'pending' && { next: { ...this.job, state: 'running' } }) }, cancels: [], ending: [] }, nowMs);
  }

  /** end applies the rules for one attempt's end (call settle for what the controller does next). */
  end(index: number, end: AttemptEnd, nowMs = 0): Plan {
    const shard = this.shard(index);
    const plan = this.gang ? planGangRankEnd(this.job, this.shards(), shard, end, nowMs) : planAttemptEnd(this.job, shard, end, nowMs);
    this.apply(plan, nowMs);
    return plan;
  }

  requestCancel(nowMs = 0): void {
    this.apply({ change: { next: { ...this.job, cancelRequested: true }, events: [{ kind: 'job-state', state: this.job.state, message: 'cancel requested' }] }, cancels: [], ending: [] }, nowMs);
  }

  /** settle is the controller's pass over a changed job: stop running attempts, cancel pending shards, write gang results, finish. */
  settle(nowMs = 0): Plan[] {
    const applied: Plan[] = [];
    if (this.job.cancelRequested && !terminalJob(this.job)) this.cancels.push(...planCancel(this.job, [], this.shards().map((s) => s.value), nowMs).cancels);
    for (let round = 0; round < 1_000 && !terminalJob(this.job); round++) {
      const pending = this.pending();
      let plan: Plan | undefined = this.job.cancelRequested && pending.length > 0 ? planCancel(this.job, pending.slice(0, BATCH_SHARDS), [], nowMs) : undefined;
      plan ??= this.gang ? planGangResults(this.job, this.shards().map((s) => s.value)) : undefined;
      plan ??= planFinish(this.job, nowMs);
      if (!plan) break;
      this.apply(plan, nowMs);
      applied.push(plan);
    }
    return applied;
  }

  /** summaries: the job's final summary events (a job finishes exactly once). */
  summaries(): Array<Extract<JobEvent, { kind: 'summary' }>> {
    return this.events.filter((e): e is Extract<JobEvent, { kind: 'summary' }> => e.kind === 'summary');
  }

  results(index?: number): Array<Extract<JobEvent, { kind: 'shard-result' }>> {
    return this.events.filter((e): e is Extract<JobEvent, { kind: 'shard-result' }> => e.kind === 'shard-result' && (index === undefined || e.index === index));
  }

  terminal(): boolean {
    return this.shards().every((s) => isTerminalShard(s.value.state));
  }
}
