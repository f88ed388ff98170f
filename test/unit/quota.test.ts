import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../src/common/job.js';
import { quotaRoom, quotaText, submitRefusal, type TenantQuota } from '../../src/common/quota.js';
import { buildReport, chargesOf, sumCharges, usageWindow, type UsageDay } from '../../src/common/usage.js';
import { sinceFromFlag } from '../../src/cli/commands/usage.js';

const at = (iso: string): number => Date.parse(iso);
const independent = (shards: number, gpuCount: number) => jobSpecSchema.parse({ name: 'j', entrypoint: { command: 'x' }, resources: { gpuCount }, partition: { kind: 'independent', shardCount: shards } });
const gang = (worldSize: number, gpuCount: number) => jobSpecSchema.parse({ name: 'j', entrypoint: { command: 'x' }, resources: { gpuCount }, partition: { kind: 'gang', worldSize } });

describe('metering an attempt', () => {
  it('charges GPU count × time and CPU cores × time, split at UTC midnight, the attempt counted on the day it ended', () => {
    const charges = chargesOf(at('2026-11-27T23:59:00Z'), at('2026-11-28T00:01:30Z'), 2, 0.5);
    expect(charges).toEqual([
      { day: '2026-11-27', gpuMs: 2 * 60_000, cpuCoreMs: 30_000, attempts: 0 },
      { day: '2026-11-28', gpuMs: 2 * 90_000, cpuCoreMs: 45_000, attempts: 1 },
    ]);
    expect(chargesOf(at('2026-11-28T10:00:00Z'), at('2026-11-28T10:00:00Z'), 1, 1)).toEqual([{ day: '2026-11-28', gpuMs: 0, cpuCoreMs: 0, attempts: 1 }]);
    const summed = sumCharges([...charges, ...chargesOf(at('2026-11-28T01:00:00Z'), at('2026-11-28T01:00:01Z'), 8, 1)]);
    expect(summed.get('2026-11-28')).toEqual({ day: '2026-11-28', gpuMs: 180_000 + 8_000, cpuCoreMs: 46_000, attempts: 2 });
  });
});

describe('a usage window', () => {
  const now = at('2026-11-28T15:00:00Z');
  it('defaults to the 7 UTC days ending today, and names itself', () => {
    expect(usageWindow('', '', now)).toEqual({ since: '2026-11-22', until: '2026-11-29', days: 7 });
    const stored = new Map<string, UsageDay>([['2026-11-28', { gpuMs: 1500, cpuCoreMs: 250, attempts: 1, updatedAtMs: now }], ['2026-11-01', { gpuMs: 9_000_000, cpuCoreMs: 0, attempts: 4, updatedAtMs: now }]]);
    const report = buildReport({ id: 't-1', name: 'acme' }, usageWindow('', '', now), stored, { gpuSecondsPerPeriod: 10, periodDays: 30 }, now);
    expect(report.windowText).toBe('7 UTC days, 2026-11-22 to 2026-11-28 inclusive (2026-11-28 so far)');
    expect(report.total).toEqual({ day: 'total', gpuSeconds: 1.5, cpuSeconds: 0.25, attempts: 1 });
    expect(report.days).toHaveLength(7);
    // The quota's period is its own window, named by its first day.
    expect(report.quota).toMatchObject({ periodSince: '2026-10-30', periodGpuSeconds: 9001.5 });
    expect(usageWindow('2026-11-01', '2026-11-02', now)).toEqual({ since: '2026-11-01', until: '2026-11-02', days: 1 });
    expect(buildReport({ id: 't', name: 'n' }, usageWindow('2026-11-01', '2026-11-02', now), new Map(), undefined, now).windowText).toBe('1 UTC day, 2026-11-01');
  });

  it('refuses malformed days and windows, naming the field', () => {
    expect(() => usageWindow('2026-02-30', '', now)).toThrow(/^since: expected a UTC day/);
    expect(() => usageWindow('', '28.11.2026', now)).toThrow(/^until: expected a UTC day/);
    expect(() => usageWindow('2026-11-28', '2026-11-28', now)).toThrow(/^until: expected a day after since/);
    expect(() => usageWindow('2024-01-01', '2026-01-01', now)).toThrow(/^since: expected a window of at most 366 days/);
  });

  it('reads --since as whole days ending today, or a day', () => {
    expect(sinceFromFlag('7d', now)).toBe('2026-11-22');
    expect(sinceFromFlag('24h', now)).toBe('2026-11-28');
    expect(sinceFromFlag('2026-11-01', now)).toBe('2026-11-01');
    expect(sinceFromFlag(undefined, now)).toBe('');
    expect(() => sinceFromFlag('36h', now)).toThrow(/--since: expected whole days/);
  });
});

describe('a tenant quota', () => {
  const quota: TenantQuota = { maxGpus: 4, maxShards: 3, gpuSecondsPerPeriod: 3600, periodDays: 1 };
  const idle = { gpus: 0, shards: 0, periodGpuMs: 0 };

  it('refuses at submit only what could never fit', () => {
    expect(submitRefusal(quota, gang(8, 1))).toBe('tenant quota: a gang of 8 ranks needs 8 GPUs at once, and the tenant may hold at most 4 (max-gpus); the job could never run');
    expect(submitRefusal(quota, gang(4, 0))).toMatch(/runs 4 shards at once, and the tenant may run at most 3 \(max-shards\)/);
    expect(submitRefusal(quota, independent(100, 4))).toBeUndefined();
    expect(submitRefusal({ gpuSecondsPerPeriod: 0, periodDays: 1 }, independent(1, 1))).toMatch(/0 GPU-seconds per period/);
    expect(submitRefusal({ gpuSecondsPerPeriod: 0, periodDays: 1 }, independent(1, 0))).toBeUndefined();
    expect(submitRefusal(undefined, gang(32, 16))).toBeUndefined();
  });

  it('lets through as many independent shards as there is room for, and says which limit holds the rest', () => {
    expect(quotaRoom(quota, idle, independent(10, 2), 10, '2026-11-28')).toEqual({ allowed: 2, reason: 'tenant quota: 0 of 4 GPUs in use; a shard needs 2' });
    expect(quotaRoom(quota, { ...idle, gpus: 4, shards: 2 }, independent(10, 1), 10, '2026-11-28')).toEqual({ allowed: 0, reason: 'tenant quota: 4 of 4 GPUs in use' });
    expect(quotaRoom(quota, { ...idle, shards: 3 }, independent(10, 0), 10, '2026-11-28')).toEqual({ allowed: 0, reason: 'tenant quota: 3 of 3 shards in use' });
    expect(quotaRoom(quota, idle, independent(2, 1), 2, '2026-11-28')).toEqual({ allowed: 2 });
  });

  it('places a gang whole or holds it whole', () => {
    expect(quotaRoom(quota, { ...idle, gpus: 3, shards: 1 }, gang(2, 1), 2, '2026-11-28')).toEqual({ allowed: 0, reason: 'tenant quota: 3 of 4 GPUs in use; the gang needs 2' });
    expect(quotaRoom(quota, { ...idle, gpus: 2, shards: 1 }, gang(2, 1), 2, '2026-11-28')).toEqual({ allowed: 2 });
  });

  it('holds GPU work, not CPU work, once the period’s GPU-seconds are spent', () => {
    const spent = { ...idle, periodGpuMs: 3_600_500 };
    expect(quotaRoom(quota, spent, independent(1, 1), 1, '2026-11-28')).toEqual({ allowed: 0, reason: 'tenant quota: 3600 of 3600 GPU-seconds used today (2026-11-28 UTC)', waitsForPeriod: true });
    expect(quotaRoom({ ...quota, periodDays: 7 }, spent, independent(1, 1), 1, '2026-11-28').reason).toBe('tenant quota: 3600 of 3600 GPU-seconds used in the 7 UTC days to 2026-11-28');
    expect(quotaRoom(quota, spent, independent(1, 0), 1, '2026-11-28')).toEqual({ allowed: 1 });
    expect(quotaText(quota)).toBe('max 4 GPUs, max 3 shards, 3600 GPU-seconds per UTC day');
    expect(quotaText({ periodDays: 1 })).toBe('no limits');
  });
});
