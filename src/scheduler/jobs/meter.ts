/**
 * meter: GPU-seconds and CPU-seconds per tenant, from each attempt's start and end as the
 * scheduler recorded them — counters, never estimates. An attempt's use is added to the
 * tenant's day counters (`usage/<tenant>/<day>`) in the same etcd transaction that ends the
 * attempt, so it counts exactly once: a writer that loses the shard's compare writes nothing.
 * When only a day counter moved (another replica metered the same tenant), the counter is read
 * again and the transaction retried.
 */
import type { JobRecord, ShardRecord } from '../../common/job.js';
import { chargesOf, sumCharges, type UsageDay } from '../../common/usage.js';
import type { JobChange, JobStore, Versioned, Write } from '../../store/job-store.js';
import type { TenantStore } from '../../store/tenant-store.js';

/** MeterMetrics are the per-tenant counters on the scheduler's /metrics. */
export interface MeterMetrics {
  tenantGpuSeconds: { inc(labels: { tenant: string }, n: number): void };
  tenantCpuSeconds: { inc(labels: { tenant: string }, n: number): void };
}

/** USAGE_RETRIES: a day counter that moved is re-read this often before the end is left to the next pass. */
const USAGE_RETRIES = 10;
/** KNOWN_LIMIT bounds the remembered counter versions (one per tenant-day metered since start). */
const KNOWN_LIMIT = 10_000;

/** UsageMeter writes attempt ends together with the usage they add. */
export class UsageMeter {
  /** The last version of each day counter this replica read or wrote (null: not there), so a steady end costs no read. */
  private readonly known = new Map<string, Versioned<UsageDay> | null>();

  constructor(
    private readonly jobs: JobStore,
    private readonly tenants: TenantStore,
    private readonly metrics: MeterMetrics,
    /** onMetered hears that a tenant's stored usage grew (the quota gate's cached period sum is stale). */
    private readonly onMetered: (tenantId: string) => void,
  ) {}

  /**
   * apply is JobStore.apply plus the use of the attempts in `ending` — the records as they were
   * before this write — that were running: each is charged from its recorded start to `endMs`.
   * Returns the revision and job, or undefined when another writer changed the job or shards first.
   */
  async apply(change: JobChange, ending: readonly ShardRecord[], endMs: number): Promise<{ revision: number; job: JobRecord } | undefined> {
    const job = change.job.value;
    const { gpuCount, cpuCores } = job.spec.resources;
    const charges = sumCharges(ending.filter((s) => s.state === 'running' && s.startedAtMs !== undefined).flatMap((s) => chargesOf(s.startedAtMs!, endMs, gpuCount, cpuCores)));
    if (charges.size === 0) return this.jobs.apply(change);
    const days = [...charges.keys()];
    const keys = days.map((day) => this.tenants.usageKey(job.tenantId, day));
    for (let attempt = 0; attempt < USAGE_RETRIES; attempt++) {
      const before = await Promise.all(days.map((day) => this.version(job.tenantId, day)));
      const now = Date.now();
      const durable: Array<Write<UsageDay>> = [...charges.values()].map((c, i) => {
        const u = before[i]?.value;
        return { key: keys[i]!, expect: before[i]?.modRevision ?? 0, value: { gpuMs: (u?.gpuMs ?? 0) + c.gpuMs, cpuCoreMs: (u?.cpuCoreMs ?? 0) + c.cpuCoreMs, attempts: (u?.attempts ?? 0) + c.attempts, updatedAtMs: now } };
      });
      const done = await this.jobs.apply({ ...change, durable });
      if (done !== undefined) {
        if (this.known.size > KNOWN_LIMIT) this.known.clear();
        for (const w of durable) this.known.set(w.key, { key: w.key, value: w.value, modRevision: done.revision });
        let gpuMs = 0;
        let cpuCoreMs = 0;
        for (const c of charges.values()) [gpuMs, cpuCoreMs] = [gpuMs + c.gpuMs, cpuCoreMs + c.cpuCoreMs];
        this.metrics.tenantGpuSeconds.inc({ tenant: job.tenantId }, gpuMs / 1000);
        this.metrics.tenantCpuSeconds.inc({ tenant: job.tenantId }, cpuCoreMs / 1000);
        this.onMetered(job.tenantId);
        return done;
      }
      // Who moved: a counter (retry with it re-read) or the job (someone else ended the attempt)?
      for (const key of keys) this.known.delete(key);
      const fresh = await Promise.all(days.map((day) => this.version(job.tenantId, day)));
      if (fresh.every((f, i) => (f?.modRevision ?? 0) === (before[i]?.modRevision ?? 0))) return undefined;
    }
    throw new Error(`usage counters of tenant ${job.tenantId} kept changing; the attempt end is retried`);
  }

  private async version(tenantId: string, day: string): Promise<Versioned<UsageDay> | undefined> {
    const key = this.tenants.usageKey(tenantId, day);
    const known = this.known.get(key);
    if (known !== undefined) return known ?? undefined;
    const read = await this.tenants.usageDay(tenantId, day);
    this.known.set(key, read ?? null);
    return read;
  }
}
