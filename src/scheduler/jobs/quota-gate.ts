/**
 * quota-gate: applies tenants' quotas to placement. It mirrors `tenant-quotas/` (a watch, so a
 * raised quota starts a pass at once), totals what each tenant with a quota holds now, and sums
 * the period's GPU-seconds from the stored day counters plus the attempts running now. The rule
 * itself (how many shards may be placed, and the sentence saying why not more) is the pure
 * `quotaRoom` in common/quota.ts.
 */
import type { JobRecord, ShardRecord } from '../../common/job.js';
import { quotaRoom, type QuotaRoom, type TenantHolding, type TenantQuota } from '../../common/quota.js';
import { DAY_MS, dayOf, dayStartMs, periodSince } from '../../common/usage.js';
import { Mirror } from '../../store/mirror.js';
import { parseQuota, type TenantStore } from '../../store/tenant-store.js';

/** ENDED_CACHE_MS: a tenant's stored period sum is re-read at most this often (this replica's own metering invalidates it at once). */
const ENDED_CACHE_MS = 2_000;
/** PERIOD_WAKE_DELAY_MS: wake a little after UTC midnight, when a day has left every period. */
const PERIOD_WAKE_DELAY_MS = 1_000;

/** QuotaGate keeps what placement needs to know of quotas. */
export class QuotaGate {
  private readonly quotas = new Map<string, TenantQuota>();
  private readonly ended = new Map<string, { since: string; gpuMs: number; readAtMs: number }>();
  private watch: { stop(): Promise<void> } | undefined;
  private wake: NodeJS.Timeout | undefined;

  constructor(
    private readonly tenants: TenantStore,
    /** onChange asks for a placement pass (a quota changed, or a new period began). */
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    const prefix = this.tenants.quotasPrefix;
    this.watch = await Mirror.start(this.tenants.kv, prefix, (entry) => entry.value, {
      put: (key, value) => {
        this.set(key.slice(prefix.length), value);
        this.onChange();
      },
      delete: (key) => {
        this.quotas.delete(key.slice(prefix.length));
        this.onChange();
      },
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.wake);
    await this.watch?.stop();
  }

  /** invalidate: the tenant's stored usage grew. */
  invalidate(tenantId: string): void {
    this.ended.delete(tenantId);
  }

  /** book totals, per tenant with a quota, what its placed and running shards hold at `nowMs`. */
  async book(jobs: readonly JobRecord[], live: Iterable<{ job: JobRecord; shard: ShardRecord }>, nowMs: number): Promise<QuotaBook> {
    const holdings = new Map<string, TenantHolding>();
    if (this.quotas.size === 0) return new QuotaBook(this.quotas, holdings, nowMs);
    const periodStart = (quota: TenantQuota): number => dayStartMs(periodSince(quota.periodDays, nowMs));
    for (const { job, shard } of live) {
      const quota = this.quotas.get(job.tenantId);
      if (!quota || (shard.state !== 'placed' && shard.state !== 'running')) continue;
      const held = holdings.get(job.tenantId) ?? { gpus: 0, shards: 0, periodGpuMs: 0 };
      const gpus = job.spec.resources.gpuCount;
      held.gpus += gpus;
      held.shards += 1;
      // Running attempts count toward the budget as far as they have run (a fact, not an estimate).
      if (shard.state === 'running' && shard.startedAtMs !== undefined) held.periodGpuMs += gpus * Math.max(0, nowMs - Math.max(shard.startedAtMs, periodStart(quota)));
      holdings.set(job.tenantId, held);
    }
    const budgeted = new Set(jobs.filter((j) => this.quotas.get(j.tenantId)?.gpuSecondsPerPeriod !== undefined && j.spec.resources.gpuCount > 0).map((j) => j.tenantId));
    await Promise.all(
      [...budgeted].map(async (tenantId) => {
        const held = holdings.get(tenantId) ?? { gpus: 0, shards: 0, periodGpuMs: 0 };
        held.periodGpuMs += await this.endedGpuMs(tenantId, this.quotas.get(tenantId)!, nowMs);
        holdings.set(tenantId, held);
      }),
    );
    return new QuotaBook(this.quotas, holdings, nowMs);
  }

  /** wakeForNextPeriod starts a pass just after the next UTC midnight (jobs wait for a new period's GPU-seconds). */
  wakeForNextPeriod(nowMs: number): void {
    if (this.wake) return;
    const delay = dayStartMs(dayOf(nowMs)) + DAY_MS + PERIOD_WAKE_DELAY_MS - nowMs;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.onChange();
    }, delay);
    this.wake.unref();
  }

  /** endedGpuMs sums the stored GPU-milliseconds of ended attempts in the tenant's current period. */
  private async endedGpuMs(tenantId: string, quota: TenantQuota, nowMs: number): Promise<number> {
    const since = periodSince(quota.periodDays, nowMs);
    const cached = this.ended.get(tenantId);
    if (cached && cached.since === since && nowMs - cached.readAtMs < ENDED_CACHE_MS) return cached.gpuMs;
    let gpuMs = 0;
    for (const [day, usage] of await this.tenants.usageDays(tenantId)) if (day >= since) gpuMs += usage.gpuMs;
    this.ended.set(tenantId, { since, gpuMs, readAtMs: nowMs });
    return gpuMs;
  }

  private set(tenantId: string, text: string): void {
    const quota = parseQuota(text);
    if (quota) this.quotas.set(tenantId, quota);
    else this.quotas.delete(tenantId);
  }
}

/** QuotaBook answers, job by job in placement order, how many shards the tenant's quota lets through. */
export class QuotaBook {
  /** waitsForPeriod: some job waits for GPU-seconds that only a new period brings. */
  waitsForPeriod = false;
  private readonly today: string;

  constructor(
    private readonly quotas: ReadonlyMap<string, TenantQuota>,
    private readonly holdings: Map<string, TenantHolding>,
    nowMs: number,
  ) {
    this.today = dayOf(nowMs);
  }

  room(job: JobRecord, pending: number): QuotaRoom {
    const quota = this.quotas.get(job.tenantId);
    if (!quota) return { allowed: pending };
    const room = quotaRoom(quota, this.holdings.get(job.tenantId) ?? { gpus: 0, shards: 0, periodGpuMs: 0 }, job.spec, pending, this.today);
    if (room.waitsForPeriod) this.waitsForPeriod = true;
    return room;
  }

  /** reserve counts `shards` newly placed shards of `job` against its tenant. */
  reserve(job: JobRecord, shards: number): void {
    if (!this.quotas.has(job.tenantId) || shards === 0) return;
    const held = this.holdings.get(job.tenantId) ?? { gpus: 0, shards: 0, periodGpuMs: 0 };
    this.holdings.set(job.tenantId, { ...held, gpus: held.gpus + shards * job.spec.resources.gpuCount, shards: held.shards + shards });
  }
}
