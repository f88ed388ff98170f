/**
 * cache: the scheduler's copy of jobs and shards, fed by etcd watches and by its own commits
 * (with the revision the commit returned), so a pass never waits for its own writes to echo.
 */
import type { JobRecord, ShardRecord } from '../../common/job.js';
import { parseJson, type KvEntry } from '../../store/kv.js';
import type { JobStore, Versioned } from '../../store/job-store.js';

/** JobCache holds every live job and its shards. */
export class JobCache {
  readonly jobs = new Map<string, Versioned<JobRecord>>();
  readonly shards = new Map<string, Map<number, Versioned<ShardRecord>>>();
  private stops: Array<() => Promise<void>> = [];

  constructor(private readonly store: JobStore) {}

  /** start loads everything and follows changes; `onChange` runs after each applied change. */
  async start(onChange: () => void): Promise<void> {
    const [jobs, shards] = await Promise.all([this.store.kv.range(this.store.jobsPrefix()), this.store.kv.range(this.store.shardsPrefix())]);
    for (const e of jobs.entries) this.applyJob(e);
    for (const e of shards.entries) this.applyShard(e);
    const jobWatch = await this.store.kv.watch(this.store.jobsPrefix(), jobs.revision, (c) => {
      if (c.type === 'delete') this.forgetJob(c.entry.key.slice(this.store.jobsPrefix().length));
      else this.applyJob(c.entry);
      onChange();
    });
    const shardWatch = await this.store.kv.watch(this.store.shardsPrefix(), shards.revision, (c) => {
      if (c.type === 'put') this.applyShard(c.entry);
      onChange();
    });
    this.stops = [() => jobWatch.stop(), () => shardWatch.stop()];
  }

  async stop(): Promise<void> {
    await Promise.all(this.stops.map((s) => s()));
  }

  /** setJob and setShard record a value we wrote, at the revision our commit returned. */
  setJob(value: JobRecord, modRevision: number): void {
    this.put(this.jobs, value.id, { key: this.store.jobKey(value.id), value, modRevision });
    this.dropIfFinished(value.id);
  }

  setShard(value: ShardRecord, modRevision: number): void {
    let map = this.shards.get(value.jobId);
    if (!map) this.shards.set(value.jobId, (map = new Map<number, Versioned<ShardRecord>>()));
    this.put(map, value.index, { key: this.store.shardKey(value.jobId, value.index), value, modRevision });
  }

  shardsOf(jobId: string): Array<Versioned<ShardRecord>> {
    return [...(this.shards.get(jobId)?.values() ?? [])].sort((a, b) => a.value.index - b.value.index);
  }

  private applyJob(entry: KvEntry): void {
    const value = parseJson<JobRecord>(entry.value);
    if (!value) return;
    this.put(this.jobs, value.id, { key: entry.key, value, modRevision: entry.modRevision });
    this.dropIfFinished(value.id);
  }

  private applyShard(entry: KvEntry): void {
    const value = parseJson<ShardRecord>(entry.value);
    // Shards of a finished job are history: the store keeps them, the controller need not.
    if (value && !this.finished(value.jobId)) this.setShard(value, entry.modRevision);
  }

  private finished(jobId: string): boolean {
    const state = this.jobs.get(jobId)?.value.state;
    return state === 'succeeded' || state === 'failed' || state === 'cancelled';
  }

  /** dropIfFinished forgets a finished job's shards, so memory and each pass scale with live jobs only. */
  private dropIfFinished(jobId: string): void {
    if (this.finished(jobId)) this.shards.delete(jobId);
  }

  private forgetJob(jobId: string): void {
    this.jobs.delete(jobId);
    this.shards.delete(jobId);
  }

  private put<K, T>(map: Map<K, Versioned<T>>, id: K, next: Versioned<T>): void {
    const current = map.get(id);
    // A watch event older than our own commit must not roll the cache back.
    if (!current || current.modRevision <= next.modRevision) map.set(id, next);
  }
}
