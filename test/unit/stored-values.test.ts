import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dayRollupSchema, foldDay, reputationEventSchema, type ReputationEvent } from '../../src/common/reputation.js';
import { trustRecordSchema, type TrustRecord } from '../../src/common/trust.js';
import { usageDaySchema, type UsageDay } from '../../src/common/usage.js';
import { JobStore } from '../../src/store/job-store.js';
import { MemoryKv } from '../../src/store/kv-memory.js';
import { apiKeyRecordSchema, tenantSchema } from '../../src/common/tenant.js';
import { TenantStore } from '../../src/store/tenant-store.js';
import { deviceIdHolderSchema, TrustStore } from '../../src/store/trust-store.js';

const ROOT = '/tessera/test/';
const at = (iso: string): number => Date.parse(iso);

let kv: MemoryKv;
let log: { error: ReturnType<typeof vi.fn> };

beforeEach(() => {
  kv = new MemoryKv();
  log = { error: vi.fn() };
});
afterEach(async () => {
  await kv.close();
});

const put = (key: string, value: string) => kv.txn({ puts: [{ key, value }] });
/** stored is the raw JSON under a key, as etcdctl would show it. */
const stored = async (key: string): Promise<unknown> => JSON.parse((await kv.get(key))!.value);
/** skipped: every corrupt key was reported by name, and nothing else was. */
const expectSkipped = (...keys: string[]) => {
  expect(log.error.mock.calls.map(([fields]) => (fields as { key: string }).key).sort()).toEqual([...keys].sort());
};

describe('trust values', () => {
  const record: TrustRecord = {
    workerId: 'w-0000000000000001',
    flags: [{ reason: 'too-slow', detail: 'too slow for H100: 900 ms', atMs: at('2026-11-27T10:00:00Z') }],
    verifiedAtMs: at('2026-11-26T10:00:00Z'),
    provenGpus: [0, 1],
    provenHardwareHash: 'ab'.repeat(32),
    unverifiedReason: 'no runtime',
    challenges: [
      { atMs: 1, gpuIndex: -1, gpuModel: 'cpu', passed: true, reason: 'passed', workFlops: 2e9, limitMs: 5000, roundTripMs: 40, device: 'cpu', verifyMs: 1.5 },
      { atMs: 2, gpuIndex: 0, gpuModel: 'H100', passed: false, reason: 'too slow', workFlops: 2e12, limitMs: 800, roundTripMs: 900, claimedTflops: 600, provenTflops: 2.5, device: 'NVIDIA H100', verifyMs: 3 },
    ],
    pendingAtDisconnect: true,
    unopenedAtMs: [5, 6],
  };

  it('round-trips a trust record, reputation events, day rollups and device ids written by the trust store', async () => {
    const store = new TrustStore(kv, ROOT, log);
    expect(await store.put(record, 0)).toBeDefined();
    expect(trustRecordSchema.parse(await stored(store.trustKey(record.workerId)))).toEqual(record);
    expect((await store.get(record.workerId))?.record).toEqual(record);
    expect((await store.list()).records).toEqual([record]);

    const w = record.workerId;
    const events: ReputationEvent[] = [
      { kind: 'connected', atMs: at('2026-11-27T01:00:00Z') },
      { kind: 'challenge', atMs: at('2026-11-27T02:00:00Z'), passed: true },
      { kind: 'challenge', atMs: at('2026-11-27T03:00:00Z'), passed: false, reason: 'too-slow' },
      { kind: 'shard', atMs: at('2026-11-27T04:00:00Z'), outcome: 'completed', gpuHours: 2 },
      { kind: 'shard', atMs: at('2026-11-27T05:00:00Z'), outcome: 'lost' },
      { kind: 'rtt', atMs: at('2026-11-27T06:00:00Z'), meanMs: 20, jitterMs: 3, samples: 10 },
      { kind: 'disconnected', atMs: at('2026-11-27T07:00:00Z'), reason: 'agent exited' },
    ];
    for (const e of events) await store.append(w, e);
    expect(await store.eventsOfDay(w, '2026-11-27')).toEqual(events);
    const { entries } = await kv.range(store.eventsPrefix(w));
    expect(entries.map((e) => reputationEventSchema.parse(JSON.parse(e.value)))).toEqual(events);

    await store.rollUpMissingDays(w, at('2026-11-27T00:00:00Z'), at('2026-11-28T12:00:00Z'));
    const rollup = foldDay('2026-11-27', undefined, events);
    expect(await store.rollups(w)).toEqual([rollup]);
    expect(dayRollupSchema.parse(await stored(store.keys.reputationDay(w, '2026-11-27')))).toEqual(rollup);

    const holder = await store.claimDeviceId('uuid', 'GPU-1', w, 42);
    expect(await store.claimDeviceId('uuid', 'GPU-1', 'w-0000000000000002', 43)).toEqual(holder);
    expect(await store.deviceIdHolder('uuid', 'GPU-1')).toEqual({ kind: 'uuid', id: 'GPU-1', workerId: w, firstSeenAtMs: 42 });
    expect(deviceIdHolderSchema.parse(await stored(store.deviceIdKey('uuid', 'GPU-1')))).toEqual(holder);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('reads a trust record from before per-device challenges, dropping what no longer exists', async () => {
    const store = new TrustStore(kv, ROOT, log);
    const legacy = { workerId: 'w-0000000000000003', flags: [{ reason: 'memory-check-failed', detail: 'vram', atMs: 1 }], verifiedHardwareHash: 'cd', verifiedAtMs: 2, lastChallenge: { atMs: 1, n: 512, precision: 'fp32' } };
    await put(store.trustKey(legacy.workerId), JSON.stringify(legacy));
    expect((await store.get(legacy.workerId))?.record).toEqual({ workerId: legacy.workerId, flags: legacy.flags, verifiedHardwareHash: 'cd', verifiedAtMs: 2 });
    expect(log.error).not.toHaveBeenCalled();
  });

  it('skips corrupt values with an error naming the key, never throwing', async () => {
    const store = new TrustStore(kv, ROOT, log);
    const w = 'w-0000000000000004';
    await store.put({ workerId: w, flags: [] }, 0);
    const corrupt = [
      [store.trustKey('w-not-json'), '{"workerId":'],
      [store.trustKey('w-wrong-shape'), JSON.stringify({ workerId: 'w-wrong-shape', flags: [{ reason: 'bad-vibes', detail: '', atMs: 1 }] })],
      [`${store.keys.reputationEventsOfDay(w, '2026-11-27')}000000000000001-aaaaaa`, 'not json'],
      [`${store.keys.reputationEventsOfDay(w, '2026-11-27')}000000000000002-bbbbbb`, JSON.stringify({ kind: 'teleported', atMs: 2 })],
      [store.keys.reputationDay(w, '2026-11-26'), JSON.stringify({ day: '2026-11-26', upMs: 'all of it' })],
      [store.deviceIdKey('serial', 'S1'), '[]'],
    ] as const;
    for (const [key, value] of corrupt) await put(key, value);
    await store.append(w, { kind: 'connected', atMs: at('2026-11-27T01:00:00Z') });

    expect(await store.get('w-not-json')).toBeUndefined();
    expect(await store.get('w-wrong-shape')).toBeUndefined();
    expect((await store.list()).records.map((r) => r.workerId)).toEqual([w]);
    expect(await store.eventsOfDay(w, '2026-11-27')).toEqual([{ kind: 'connected', atMs: at('2026-11-27T01:00:00Z') }]);
    expect(await store.rollups(w)).toEqual([]);
    expect(await store.deviceIdHolder('serial', 'S1')).toBeUndefined();
    expectSkipped(...corrupt.map(([key]) => key), store.trustKey('w-not-json'), store.trustKey('w-wrong-shape'));
  });

  it('reads without a logger too', async () => {
    const store = new TrustStore(kv, ROOT);
    await put(store.trustKey('w-x'), 'garbage');
    expect(await store.get('w-x')).toBeUndefined();
  });
});

describe('tenant values', () => {
  it('round-trips tenants, API keys, quotas and usage days as the stores write them', async () => {
    const tenants = new TenantStore(kv, ROOT, log);
    const { tenant } = await new JobStore(kv, ROOT).createTenant('acme', 1000);
    expect(tenantSchema.parse(await stored(tenants.keys.tenant(tenant.id)))).toEqual(tenant);
    expect(await tenants.getTenant(tenant.id)).toEqual(tenant);
    expect(await tenants.resolveTenant('acme')).toEqual(tenant);

    const { keyId } = await tenants.createKey(tenant.id, 2000);
    const keys = await tenants.listKeys(tenant.id);
    expect(keys).toEqual([expect.objectContaining({ tenantId: tenant.id, createdAtMs: 1000 }), { keyId, tenantId: tenant.id, createdAtMs: 2000 }]);
    const { entries } = await kv.range(tenants.keys.apiKeysPrefix);
    for (const e of entries) expect(apiKeyRecordSchema.parse(JSON.parse(e.value))).toEqual({ tenantId: tenant.id, createdAtMs: expect.any(Number) });
    // Keys made before key listing carry no creation time, and still list and revoke.
    await put(tenants.keys.apiKey('0123456789ab'.padEnd(64, '0')), JSON.stringify({ tenantId: tenant.id }));
    expect(await tenants.listKeys(tenant.id)).toContainEqual({ keyId: '0123456789ab', tenantId: tenant.id });
    expect(await tenants.revokeKey('0123456789ab')).toEqual({ keyId: '0123456789ab', tenantId: tenant.id });

    await tenants.setQuota(tenant.id, { maxGpus: 4, periodDays: 7 }, 3000);
    expect(await tenants.getQuota(tenant.id)).toEqual({ maxGpus: 4, periodDays: 7 });

    // What the scheduler's meter writes in the transaction that ends an attempt.
    const day: UsageDay = { gpuMs: 7200, cpuCoreMs: 900, attempts: 2, updatedAtMs: 4000 };
    await put(tenants.usageKey(tenant.id, '2026-11-27'), JSON.stringify(day));
    expect(usageDaySchema.parse(await stored(tenants.usageKey(tenant.id, '2026-11-27')))).toEqual(day);
    expect(await tenants.usageDays(tenant.id)).toEqual(new Map([['2026-11-27', day]]));
    expect((await tenants.usageDay(tenant.id, '2026-11-27'))?.value).toEqual(day);
    expect(log.error).not.toHaveBeenCalled();
  });

  it('skips corrupt values with an error naming the key, never throwing', async () => {
    const tenants = new TenantStore(kv, ROOT, log);
    const { tenant } = await new JobStore(kv, ROOT).createTenant('acme', 1000);
    const corrupt = [
      [tenants.keys.tenant('t-00000000000a'), '{'],
      [tenants.keys.tenant('t-00000000000b'), JSON.stringify({ id: 't-00000000000b', name: 'acme' })],
      [tenants.keys.apiKey('f'.repeat(64)), 'tsk_plaintext'],
      [tenants.quotaKey(tenant.id), JSON.stringify({ maxGpus: -1 })],
      [tenants.usageKey(tenant.id, '2026-11-26'), JSON.stringify({ gpuMs: 'lots', cpuCoreMs: 0, attempts: 1, updatedAtMs: 1 })],
      [tenants.usageKey(tenant.id, '2026-11-27'), ''],
    ] as const;
    for (const [key, value] of corrupt) await put(key, value);

    expect(await tenants.getTenant('t-00000000000a')).toBeUndefined();
    expect(await tenants.resolveTenant('acme')).toEqual(tenant);
    expect((await tenants.listKeys()).map((k) => k.tenantId)).toEqual([tenant.id]);
    expect(await tenants.getQuota(tenant.id)).toBeUndefined();
    expect(await tenants.usageDays(tenant.id)).toEqual(new Map());
    // A corrupt day counter reads as zero at its revision, so the meter's next write replaces it.
    const counter = await tenants.usageDay(tenant.id, '2026-11-27');
    expect(counter?.value).toEqual({ gpuMs: 0, cpuCoreMs: 0, attempts: 0, updatedAtMs: 0 });
    expect(counter?.modRevision).toBeGreaterThan(0);
    expectSkipped(...corrupt.map(([key]) => key), tenants.keys.tenant('t-00000000000a'), tenants.usageKey(tenant.id, '2026-11-27'));
  });
});
