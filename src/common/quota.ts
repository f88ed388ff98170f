/**
 * quota: what a tenant may use, and the two pure rules that apply it. At submit, a job that could
 * never fit (a gang of 8 GPUs against max-gpus 4) is refused; in the scheduler, a job that fits
 * but not now waits, and its placement explanation says which limit holds it.
 */
import { z } from 'zod';
import type { JobSpec } from './job.js';

/** MAX_PERIOD_DAYS: usage is kept per UTC day; a period is a whole number of them, at most a year. */
export const MAX_PERIOD_DAYS = 366;

/** tenantQuotaSchema is `<root>tenant-quotas/<tenant>`. An absent limit is no limit; 0 allows none. */
export const tenantQuotaSchema = z.object({
  /** GPUs held at once by the tenant's placed and running shards. */
  maxGpus: z.number().int().min(0).max(1_000_000).optional(),
  /** Shards placed or running at once. */
  maxShards: z.number().int().min(0).max(1_000_000).optional(),
  /** GPU-seconds of ended attempts (and of running ones, so far) per period. */
  gpuSecondsPerPeriod: z.number().int().min(0).max(1e12).optional(),
  /** The period: the current UTC day and the periodDays − 1 before it. */
  periodDays: z.number().int().min(1).max(MAX_PERIOD_DAYS).default(1),
});

/** TenantQuota is a validated quota. */
export type TenantQuota = z.output<typeof tenantQuotaSchema>;

/** quotaText says a quota in one line: "max 4 GPUs, max 10 shards, 3600 GPU-seconds per UTC day". */
export function quotaText(quota: TenantQuota): string {
  const parts = [
    quota.maxGpus !== undefined && `max ${quota.maxGpus} GPUs`,
    quota.maxShards !== undefined && `max ${quota.maxShards} shards`,
    quota.gpuSecondsPerPeriod !== undefined && `${quota.gpuSecondsPerPeriod} GPU-seconds per ${periodText(quota.periodDays)}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length ? parts.join(', ') : 'no limits';
}

function periodText(days: number): string {
  return days === 1 ? 'UTC day' : `${days} UTC days`;
}

/** JobNeed is what placing all of one job's pending shards asks of the tenant's quota. */
interface JobNeed {
  gpuCount: number;
  /** Gang jobs are placed whole: the ranks count together. */
  gang: boolean;
  pending: number;
}

function needOf(spec: JobSpec, pending: number): JobNeed {
  return { gpuCount: spec.resources.gpuCount, gang: spec.partition.kind === 'gang', pending };
}

/**
 * submitRefusal says why a job could never run under `quota`, or undefined when it could:
 * one shard (or the whole gang) needs more GPUs or shards at once than the tenant may hold, or
 * needs GPUs and the tenant has no GPU-seconds at all.
 */
export function submitRefusal(quota: TenantQuota | undefined, spec: JobSpec): string | undefined {
  if (!quota) return undefined;
  const need = needOf(spec, spec.partition.kind === 'gang' ? spec.partition.worldSize : 1);
  const at = need.gang ? need.pending : 1;
  const what = need.gang ? `a gang of ${at} ranks` : 'one shard';
  const gpus = at * need.gpuCount;
  if (quota.maxGpus !== undefined && gpus > quota.maxGpus) {
    return `tenant quota: ${what} needs ${gpus} GPUs at once, and the tenant may hold at most ${quota.maxGpus} (max-gpus); the job could never run`;
  }
  if (quota.maxShards !== undefined && at > quota.maxShards) {
    return `tenant quota: ${what} runs ${at} shards at once, and the tenant may run at most ${quota.maxShards} (max-shards); the job could never run`;
  }
  if (need.gpuCount > 0 && quota.gpuSecondsPerPeriod === 0) {
    return 'tenant quota: the job needs GPUs, and the tenant has 0 GPU-seconds per period (gpu-seconds); the job could never run';
  }
  return undefined;
}

/** TenantHolding is what a tenant's placed and running shards hold now. */
export interface TenantHolding {
  gpus: number;
  shards: number;
  /** GPU-milliseconds used in the current period: ended attempts (stored) plus running ones so far. */
  periodGpuMs: number;
}

/** QuotaRoom is how many of a job's pending shards may be placed now, and why not more. */
export interface QuotaRoom {
  allowed: number;
  /** Set when fewer than all pending shards may be placed: the limit that holds them. */
  reason?: string;
  /** The GPU-seconds budget holds the job: only a new period frees it. */
  waitsForPeriod?: boolean;
}

/**
 * quotaRoom applies `quota` to one job's pending shards. Independent shards fill the room
 * there is; a gang is all or nothing. Running shards are never stopped: the limits hold back
 * new placements only.
 */
export function quotaRoom(quota: TenantQuota | undefined, held: TenantHolding, spec: JobSpec, pending: number, nowDay: string): QuotaRoom {
  if (!quota || pending === 0) return { allowed: pending };
  const need = needOf(spec, pending);
  const limits: QuotaRoom[] = [];
  if (quota.maxShards !== undefined) {
    const room = Math.max(0, quota.maxShards - held.shards);
    limits.push({ allowed: room, reason: `tenant quota: ${held.shards} of ${quota.maxShards} shards in use${need.gang ? `; the gang needs ${need.pending}` : ''}` });
  }
  if (quota.maxGpus !== undefined && need.gpuCount > 0) {
    const room = Math.floor(Math.max(0, quota.maxGpus - held.gpus) / need.gpuCount);
    const wants = need.gang ? `; the gang needs ${need.pending * need.gpuCount}` : need.gpuCount > 1 ? `; a shard needs ${need.gpuCount}` : '';
    limits.push({ allowed: room, reason: `tenant quota: ${held.gpus} of ${quota.maxGpus} GPUs in use${wants}` });
  }
  if (quota.gpuSecondsPerPeriod !== undefined && need.gpuCount > 0 && held.periodGpuMs >= quota.gpuSecondsPerPeriod * 1000) {
    const used = Math.floor(held.periodGpuMs / 1000);
    const period = quota.periodDays === 1 ? `today (${nowDay} UTC)` : `in the ${quota.periodDays} UTC days to ${nowDay}`;
    limits.push({ allowed: 0, reason: `tenant quota: ${used} of ${quota.gpuSecondsPerPeriod} GPU-seconds used ${period}`, waitsForPeriod: true });
  }
  let tightest: QuotaRoom = { allowed: pending };
  for (const limit of limits) if (limit.allowed < tightest.allowed) tightest = limit;
  // A gang is placed whole or not at all.
  if (need.gang && tightest.allowed < pending) return { ...tightest, allowed: 0 };
  return tightest;
}
