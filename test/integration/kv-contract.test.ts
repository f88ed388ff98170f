/**
 * The Kv contract the job store relies on, against real etcd and the in-memory Kv of `tessera dev`.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kv, KvWatchEvent } from '../../src/store/kv.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { MemoryKv } from '../../src/store/kv-memory.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { waitFor } from '../support/processes.js';

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

for (const [name, open] of [
  ['in-memory', () => new MemoryKv()],
  ['etcd', () => new EtcdKv([etcd.endpoint])],
] as Array<[string, () => Kv]>) {
  describe(`Kv contract: ${name}`, () => {
    const prefix = (): string => `/kv-test-${randomBytes(4).toString('hex')}/`;

    it('applies a transaction only when every compared revision still holds', async () => {
      const kv = open();
      const p = prefix();
      const first = await kv.txn({ compares: [{ key: `${p}a`, modRevision: 0 }], puts: [{ key: `${p}a`, value: '1' }, { key: `${p}b`, value: '1' }] });
      expect(first.succeeded).toBe(true);
      const a = await kv.get(`${p}a`);
      expect(a).toMatchObject({ value: '1', createRevision: first.revision, modRevision: first.revision });
      expect((await kv.txn({ compares: [{ key: `${p}a`, modRevision: 0 }], puts: [{ key: `${p}a`, value: 'lost' }] })).succeeded).toBe(false);
      const second = await kv.txn({ compares: [{ key: `${p}a`, modRevision: a!.modRevision }], puts: [{ key: `${p}a`, value: '2' }], deletes: [`${p}b`] });
      expect(second.succeeded).toBe(true);
      expect((await kv.txn({ compares: [{ key: `${p}a`, modRevision: a!.modRevision }], puts: [{ key: `${p}a`, value: 'stale' }] })).succeeded).toBe(false);
      const { entries } = await kv.range(p);
      expect(entries.map((e) => [e.key.slice(p.length), e.value, e.createRevision])).toEqual([['a', '2', first.revision]]);
      await kv.close();
    });

    it('watches from a past revision: replays what happened since, then follows', async () => {
      const kv = open();
      const p = prefix();
      const { revision } = await kv.range(p);
      await kv.txn({ puts: [{ key: `${p}x`, value: 'before-watch' }] });
      const seen: KvWatchEvent[] = [];
      const watch = await kv.watch(p, revision, { onEvent: (e) => seen.push(e) });
      await kv.txn({ puts: [{ key: `${p}y`, value: 'after-watch' }], deletes: [`${p}x`] });
      await waitFor(() => (seen.length >= 3 ? true : undefined), 5_000, 'three events');
      expect(seen.map((e) => [e.type, e.entry.key.slice(p.length)])).toEqual([['put', 'x'], ['put', 'y'], ['delete', 'x']]);
      await watch.stop();
      await kv.close();
    });

    it('pages a prefix in key order, and reads several keys in one request', async () => {
      const kv = open();
      const p = prefix();
      await kv.txn({ puts: Array.from({ length: 7 }, (_, i) => ({ key: `${p}${i}`, value: String(i) })) });
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await kv.page(p, { limit: 3, ...(after !== undefined && { after }) });
        seen.push(...page.entries.map((e) => e.value));
        if (!page.more) break;
        after = page.entries.at(-1)!.key;
      }
      expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6']);
      expect((await kv.getMany([`${p}5`, `${p}missing`, `${p}0`])).map((e) => e?.value)).toEqual(['5', undefined, '0']);
      await kv.close();
    });

    it('keeps a lease alive while renewed, and revokes it with its keys at once', async () => {
      const kv = open();
      const p = prefix();
      const lease = await kv.grantLease(1_000);
      await kv.txn({ puts: [{ key: `${p}live`, value: 'x', lease }] });
      expect((await kv.get(`${p}live`))?.lease).toBe(lease);
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 500));
        expect(await kv.keepAlive(lease)).toBe(true);
      }
      expect(await kv.get(`${p}live`)).toBeDefined();
      expect(await kv.leaseRenewedAtMs(lease)).toBeGreaterThan(Date.now() - 2_000);
      await kv.revokeLease(lease);
      expect(await kv.get(`${p}live`)).toBeUndefined();
      expect(await kv.keepAlive(lease)).toBe(false);
      await kv.close();
    });

    it('cancels a watch that starts before a compaction, so the watcher knows to re-read', async () => {
      const kv = open();
      const p = prefix();
      const first = await kv.txn({ puts: [{ key: `${p}a`, value: '1' }] });
      const latest = await kv.txn({ puts: [{ key: `${p}a`, value: '2' }] });
      await kv.compact(latest.revision);
      const cancelled = await new Promise<string>((resolve) => {
        void kv.watch(p, first.revision - 1, { onEvent: () => undefined, onCancelled: resolve });
      });
      expect(cancelled).toMatch(/compacted/);
      await kv.close();
    });

    it('drops keys when their lease expires', async () => {
      const kv = open();
      const p = prefix();
      const lease = await kv.grantLease(1_000);
      await kv.txn({ puts: [{ key: `${p}temp`, value: 't', lease }] });
      expect(await kv.get(`${p}temp`)).toBeDefined();
      await waitFor(async () => ((await kv.get(`${p}temp`)) === undefined ? true : undefined), 5_000, 'lease expiry');
      await kv.close();
    });
  });
}
