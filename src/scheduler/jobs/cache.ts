/**
 * cache: the scheduler's copy of live jobs and their shards, fed by mirrors of jobs/, job-specs/
 * and shards/ (mirror.ts: re-read after a compaction, never rolled back) and by its own commits
 * (with the revision each commit returned), so a pass never waits for its own writes to echo.
 *
 * Kept indexed for the controller, so nothing scans every shard: the shards each worker holds,
 * the pending shards of each job, and which jobs changed since the last pass (dirty).
 */
import { holdsWorker as holds, isTerminalJob, pendingShard, type JobRecord, type JobSpec, type JobStatus, type ShardRecord } from '../../common/job.js';
import type { DecodeLog } from '../../store/kv.js';
import type { JobStore, Versioned } from '../../store/job-store.js';
import { Mirror } from '../../store/mirror.js';
import { NO_USAGE, type NodeUsage, type UsageView } from '../placement/types.js';


/** JobCache holds every live job, the shards the store has written for it, and indexes over them. */
export class JobCache {
  /** Live jobs (not finished), whole: status and spec. */
  readonly jobs = new Map<string, Versioned<JobRecord>>();
  /** Written shards of live jobs (a shard not here is pending at attempt 1). */
  private readonly shards = new Map<string, Map<number, Versioned<ShardRecord>>>();
  /** Indices of each live job's pending shards, in the order they became pending. */
  private readonly pending = new Map<string, Set<number>>();
  /** For each worker, the shards placed on or running there: job id → indices. */
  private readonly byWorker = new Map<string, Map<string, Set<number>>>();
  /** Jobs changed since the controller last took them; a pass works on these (and on what workers' changes touch). */
  private dirty = new Set<string>();
  /** freed: a shard stopped holding its worker since the last look (capacity for placement). */
  private freed = false;
  private readonly statuses = new Map<string, Versioned<JobStatus>>();
  private readonly specs = new Map<string, JobSpec>();
  private mirrors: Array<Mirror<unknown>> = [];

  constructor(
    private readonly store: JobStore,
    private readonly log?: DecodeLog & { warn(fields: object, message: string): void },
  ) {}

  /** start loads everything and follows changes; `onChange` runs after each applied change. */
  async start(onChange: () => void): Promise<void> {
    const { keys } = this.store;
    // Statuses first (a finished job's shards are not loaded), then shards, then specs: a job
    // joins when its spec arrives, with its written shards known, so none is taken for pending.
    const jobs = await Mirror.start(this.store.kv, keys.jobsPrefix, this.store.decodeStatus, {
      put: (key, status, entry) => {
        const current = this.statuses.get(status.id);
        if (current && current.modRevision >= entry.modRevision) return;
        this.statuses.set(status.id, { key, value: status, modRevision: entry.modRevision });
        this.join(status.id);
        onChange();
      },
      delete: (key) => {
        this.forget(key.slice(keys.jobsPrefix.length));
        onChange();
      },
      held: (key) => this.statuses.get(key.slice(keys.jobsPrefix.length))?.modRevision,
    }, this.log);
    const shards = await Mirror.start(this.store.kv, keys.shardsPrefix(), this.store.decodeShard, {
      put: (key, shard, entry) => {
        if (!this.finished(shard.jobId)) this.put(shard, entry.modRevision, key);
        onChange();
      },
      delete: () => undefined,
      // shards/<job>/<index:6>: the echo of a commit of ours is already here.
      held: (key) => this.shards.get(key.slice(keys.shardsPrefix().length, -7))?.get(Number(key.slice(-6)))?.modRevision,
    }, this.log);
    const specs = await Mirror.start(this.store.kv, keys.jobSpecsPrefix, this.store.decodeSpec, {
      put: (key, spec) => {
        const id = key.slice(keys.jobSpecsPrefix.length);
        this.specs.set(id, spec);
        this.join(id);
        onChange();
      },
      delete: (key) => void this.specs.delete(key.slice(keys.jobSpecsPrefix.length)),
    }, this.log);
    this.mirrors = [specs, jobs, shards] as Array<Mirror<unknown>>;
  }

  async stop(): Promise<void> {
    await Promise.all(this.mirrors.map((m) => m.stop()));
  }

  /** takeDirty returns the jobs changed since the last call. */
  takeDirty(): Set<string> {
    const taken = this.dirty;
    this.dirty = new Set();
    return taken;
  }

  /** takeFreed says whether any shard released its worker since the last call. */
  takeFreed(): boolean {
    const freed = this.freed;
    this.freed = false;
    return freed;
  }

  /** markDirty asks the next pass to look at a job again. */
  markDirty(jobId: string): void {
    this.dirty.add(jobId);
  }

  /** setJob and setShard record a value we wrote, at the revision our commit returned. */
  setJob(value: JobRecord, modRevision: number): void {
    const current = this.statuses.get(value.id);
    if (current && current.modRevision > modRevision) return;
    const { spec, ...status } = value;
    this.specs.set(value.id, spec);
    this.statuses.set(value.id, { key: this.store.keys.job(value.id), value: { ...status, name: spec.name }, modRevision });
    this.join(value.id);
  }

  setShard(value: ShardRecord, modRevision: number): void {
    if (this.finished(value.jobId)) return;
    this.put(value, modRevision, this.store.keys.shard(value.jobId, value.index));
  }

  /** status is a job's stored status, finished jobs included (`jobs` holds live ones only). */
  status(jobId: string): JobStatus | undefined {
    return this.statuses.get(jobId)?.value;
  }

  /** shard is a shard's current record: stored, or pending at attempt 1 (mod revision 0) when never written. */
  shard(jobId: string, index: number): Versioned<ShardRecord> | undefined {
    const job = this.jobs.get(jobId)?.value;
    if (!job || index < 0 || index >= job.shardCount) return undefined;
    return this.shards.get(jobId)?.get(index) ?? { key: this.store.keys.shard(jobId, index), value: pendingShard(jobId, index), modRevision: 0 };
  }

  /** shardsOf returns every shard of a job in index order (gangs: at most 32). */
  shardsOf(jobId: string): Array<Versioned<ShardRecord>> {
    const job = this.jobs.get(jobId)?.value;
    return job ? Array.from({ length: job.shardCount }, (_, i) => this.shard(jobId, i)!) : [];
  }

  /** storedOf returns the shards the store has written for a job (every placed or running one is). */
  storedOf(jobId: string): ShardRecord[] {
    return [...(this.shards.get(jobId)?.values() ?? [])].map((s) => s.value);
  }

  /** pendingOf returns up to `limit` pending shards of a job. */
  pendingOf(jobId: string, limit = Infinity): Array<Versioned<ShardRecord>> {
    const found: Array<Versioned<ShardRecord>> = [];
    for (const index of this.pending.get(jobId) ?? []) {
      if (found.length >= limit) break;
      const shard = this.shard(jobId, index);
      if (shard) found.push(shard);
    }
    return found;
  }

  pendingCount(jobId: string): number {
    return this.pending.get(jobId)?.size ?? 0;
  }

  /** onWorker lists the shards placed on or running on a worker. */
  onWorker(workerId: string): Array<Versioned<ShardRecord>> {
    const found: Array<Versioned<ShardRecord>> = [];
    for (const [jobId, indices] of this.byWorker.get(workerId) ?? []) {
      for (const index of indices) {
        // A shard whose job this cache could not read (a corrupt record) is left out, never a crash.
        const shard = this.shard(jobId, index);
        if (shard) found.push(shard);
      }
    }
    return found;
  }

  /** busy: the worker holds a placed or running shard. */
  busy(workerId: string): boolean {
    return (this.byWorker.get(workerId)?.size ?? 0) > 0;
  }

  /** workersHolding lists every worker holding shards (for the lost-worker check). */
  workersHolding(): IterableIterator<string> {
    return this.byWorker.keys();
  }

  /**
   * usageView says what each worker's placed and running shards hold, computed from the
   * per-worker index when placement first asks about that worker (a pass looks at few of them),
   * and remembered for the rest of the view's life: take a fresh view per pass.
   */
  usageView(): UsageView {
    const memo = new Map<string, NodeUsage>();
    return {
      of: (workerId: string): NodeUsage => {
        let usage = memo.get(workerId);
        if (usage) return usage;
        const gpus = new Set<number>();
        let cpuCores = 0;
        let memoryMib = 0;
        for (const [jobId, indices] of this.byWorker.get(workerId) ?? []) {
          const resources = this.jobs.get(jobId)?.value.spec.resources;
          if (!resources) continue;
          for (const index of indices) {
            for (const gpu of this.shards.get(jobId)?.get(index)?.value.gpuIndices ?? []) gpus.add(gpu);
            cpuCores += resources.cpuCores;
            memoryMib += resources.memoryMib;
          }
        }
        usage = gpus.size === 0 && cpuCores === 0 && memoryMib === 0 ? NO_USAGE : { gpus, cpuCores, memoryMib };
        memo.set(workerId, usage);
        return usage;
      },
    };
  }

  /** *holding yields every placed or running shard with its job (usage and quota accounting). */
  *holding(): Generator<{ job: JobRecord; shard: ShardRecord }> {
    for (const perJob of this.byWorker.values()) {
      for (const [jobId, indices] of perJob) {
        const job = this.jobs.get(jobId)?.value;
        if (!job) continue;
        for (const index of indices) {
          const shard = this.shard(jobId, index);
          if (shard) yield { job, shard: shard.value };
        }
      }
    }
  }

  /** join makes a job visible once both its status and its spec are known. */
  private join(jobId: string): void {
    const status = this.statuses.get(jobId);
    const spec = this.specs.get(jobId);
    if (!status) return;
    if (isTerminalJob(status.value.state)) {
      // A finished job is history: its status stays (for late reports and the finished check);
      // its spec, shards and indexes go, so memory scales with live jobs, not retention.
      this.dropShards(jobId);
      this.specs.delete(jobId);
      this.jobs.delete(jobId);
      return;
    }
    if (!spec) return;
    const fresh = !this.jobs.has(jobId);
    this.jobs.set(jobId, { key: status.key, value: { ...status.value, spec }, modRevision: status.modRevision });
    if (fresh) {
      const pending = new Set<number>();
      const written = this.shards.get(jobId);
      for (let i = 0; i < status.value.shardCount; i++) if ((written?.get(i)?.value.state ?? 'pending') === 'pending') pending.add(i);
      this.pending.set(jobId, pending);
    }
    this.dirty.add(jobId);
  }

  private put(shard: ShardRecord, modRevision: number, key: string): void {
    let map = this.shards.get(shard.jobId);
    const current = map?.get(shard.index);
    // A watch event older than our own commit must not roll the cache back (nor its echo count as a change).
    if (current && current.modRevision >= modRevision) return;
    if (!map) this.shards.set(shard.jobId, (map = new Map<number, Versioned<ShardRecord>>()));
    if (current) this.unindex(current.value);
    if (current && holds(current.value) && !holds(shard)) this.freed = true;
    map.set(shard.index, { key, value: shard, modRevision });
    this.index(shard);
    this.dirty.add(shard.jobId);
  }

  private index(shard: ShardRecord): void {
    if (holds(shard)) {
      let perJob = this.byWorker.get(shard.workerId!);
      if (!perJob) this.byWorker.set(shard.workerId!, (perJob = new Map<string, Set<number>>()));
      let indices = perJob.get(shard.jobId);
      if (!indices) perJob.set(shard.jobId, (indices = new Set()));
      indices.add(shard.index);
    }
    const pending = this.pending.get(shard.jobId);
    if (shard.state === 'pending') pending?.add(shard.index);
    else pending?.delete(shard.index);
  }

  private unindex(shard: ShardRecord): void {
    if (!holds(shard)) return;
    const perJob = this.byWorker.get(shard.workerId!);
    const indices = perJob?.get(shard.jobId);
    indices?.delete(shard.index);
    if (indices?.size === 0) perJob!.delete(shard.jobId);
    if (perJob?.size === 0) this.byWorker.delete(shard.workerId!);
  }

  private finished(jobId: string): boolean {
    const state = this.statuses.get(jobId)?.value.state;
    return state !== undefined && isTerminalJob(state);
  }

  /** dropShards forgets a finished job's shards and indexes, so memory and passes scale with live jobs only. */
  private dropShards(jobId: string): void {
    for (const { value } of this.shards.get(jobId)?.values() ?? []) {
      if (holds(value)) this.freed = true;
      this.unindex(value);
    }
    this.shards.delete(jobId);
    this.pending.delete(jobId);
  }

  private forget(jobId: string): void {
    this.dirty.add(jobId);
    this.dropShards(jobId);
    this.jobs.delete(jobId);
    this.statuses.delete(jobId);
    this.specs.delete(jobId);
  }
}
