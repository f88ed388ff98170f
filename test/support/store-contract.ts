/**
 * store-contract: the behaviour every TopologyStore must have. Run against the in-memory store
 * and against a real etcd (test/integration/store-contract.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/common/secrets.js';
import type { WorkerRecord } from '../../src/common/worker.js';
import { workerRecord } from './workers.js';

export { CPU_HARDWARE, workerRecord } from './workers.js';
import { createJoinToken, splitJoinToken } from '../../src/store/join-tokens.js';
import type { TopologyStore } from '../../src/store/topology-store.js';
import { TopologyView, type WorkerChange } from '../../src/store/topology-view.js';
import { waitFor } from './processes.js';

/** describeStoreContract registers the contract suite for one store factory. */
export function describeStoreContract(name: string, open: () => Promise<TopologyStore>, close: (store: TopologyStore) => Promise<void>): void {
  describe(`TopologyStore contract: ${name}`, () => {
    let store: TopologyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });

    async function joined(record = workerRecord()): Promise<WorkerRecord> {
      const { token } = await createJoinToken(store, { uses: 1, ttlMs: 60_000 });
      expect(await store.join(sha256Hex(token), record, sha256Hex('secret-' + record.id), Date.now())).toBe('joined');
      return record;
    }

    it('registers a worker with a valid token and keeps only the hash of its secret', async () => {
      const record = await joined();
      expect(await store.getCredentialHash(record.id)).toBe(sha256Hex('secret-' + record.id));
      expect(await store.getWorker(record.id)).toMatchObject({ id: record.id, region: 'eu-west', online: false });
    });

    it('refuses a single-use token the second time, an expired token, and an unknown token', async () => {
      const { token } = await createJoinToken(store, { uses: 1, ttlMs: 60_000 });
      expect(await store.join(sha256Hex(token), workerRecord(), 'h', Date.now())).toBe('joined');
      expect(await store.join(sha256Hex(token), workerRecord(), 'h', Date.now())).toBe('invalid-token');
      const expired = await createJoinToken(store, { uses: 5, ttlMs: 1_000 });
      expect(await store.join(sha256Hex(expired.token), workerRecord(), 'h', Date.now() + 2_000)).toBe('invalid-token');
      expect(await store.join(sha256Hex('tsj_nope'), workerRecord(), 'h', Date.now())).toBe('invalid-token');
    });

    it('lets exactly one of five concurrent joins spend the last use of a token', async () => {
      const { token } = await createJoinToken(store, { uses: 1, ttlMs: 60_000 });
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => store.join(sha256Hex(token), workerRecord(), 'h', Date.now())));
      expect(outcomes.filter((o) => o === 'joined')).toHaveLength(1);
      expect((await store.listWorkers()).length).toBe(1);
    });

    it('lists tokens by hash and deletes one, which Join then refuses', async () => {
      const { token } = await createJoinToken(store, { uses: 2, ttlMs: 60_000, description: 'listed' });
      const hash = sha256Hex(splitJoinToken(token).secret);
      expect(await store.listJoinTokens()).toContainEqual({ hash, record: expect.objectContaining({ usesLeft: 2, description: 'listed' }) as unknown });
      expect(await store.deleteJoinToken(hash)).toBe(true);
      expect(await store.deleteJoinToken(hash)).toBe(false);
      expect((await store.listJoinTokens()).map((t) => t.hash)).not.toContain(hash);
      expect(await store.join(hash, workerRecord(), 'h', Date.now())).toBe('invalid-token');
    });

    it('counts down a multi-use token', async () => {
      const { token } = await createJoinToken(store, { uses: 3, ttlMs: 60_000 });
      const outcomes = [];
      for (let i = 0; i < 4; i++) outcomes.push(await store.join(sha256Hex(token), workerRecord(), 'h', Date.now()));
      expect(outcomes).toEqual(['joined', 'joined', 'joined', 'invalid-token']);
    });

    it('is online while the lease is renewed and offline once the TTL passes without renewal', async () => {
      const record = await joined();
      const lease = await store.goOnline(record.id, { connectedAtMs: Date.now(), schedulerId: 's1' }, 2_000);
      const online = await store.getWorker(record.id);
      expect(online).toMatchObject({ online: true });
      expect(online!.lastHeartbeatAtMs).toBeGreaterThan(Date.now() - 2_000);
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await lease.keepAlive()).toBe(true);
      await new Promise((r) => setTimeout(r, 1_200));
      expect((await store.getWorker(record.id))!.online).toBe(true);
      const started = Date.now();
      await waitFor(async () => ((await store.getWorker(record.id))!.online ? undefined : true), 5_000, 'lease expiry');
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(await lease.keepAlive()).toBe(false);
    });

    it('goes offline at once on revoke', async () => {
      const record = await joined();
      const lease = await store.goOnline(record.id, { connectedAtMs: Date.now(), schedulerId: 's1' }, 10_000);
      await lease.revoke();
      expect((await store.getWorker(record.id))!.online).toBe(false);
    });

    it('keeps a reconnected worker online when its old lease ends', async () => {
      const record = await joined();
      const first = await store.goOnline(record.id, { connectedAtMs: Date.now(), schedulerId: 's1' }, 10_000);
      await store.goOnline(record.id, { connectedAtMs: Date.now(), schedulerId: 's2' }, 10_000);
      await first.revoke();
      expect((await store.getWorker(record.id))!.online).toBe(true);
    });

    it('mirrors into a topology view: a snapshot, then online, updates and offline in order', async () => {
      const before = await joined();
      const changes: Array<[WorkerChange, string]> = [];
      const view = await TopologyView.start(store);
      view.on('change', (change, worker) => changes.push([change, worker.region]));
      try {
        expect([...view.workers.keys()]).toEqual([before.id]);
        const lease = await store.goOnline(before.id, { connectedAtMs: 1, schedulerId: 's1' }, 10_000);
        await waitFor(() => (view.isOnline(before.id) ? true : undefined), 5_000, 'online in the view');
        await store.updateWorker({ ...before, region: 'us-east' });
        await lease.revoke();
        await waitFor(() => (changes.length >= 3 ? true : undefined), 5_000, 'three changes');
        expect(changes).toEqual([['online', 'eu-west'], ['updated', 'us-east'], ['offline', 'us-east']]);
      } finally {
        await view.stop();
      }
    });

    it('refuses to update a worker that never joined', async () => {
      await expect(store.updateWorker(workerRecord())).rejects.toThrow(/unknown worker/);
    });

    it('lists online workers first', async () => {
      const a = await joined(workerRecord({ id: 'w-0000000000000001' }));
      const b = await joined(workerRecord({ id: 'w-0000000000000002' }));
      await store.goOnline(b.id, { connectedAtMs: 1, schedulerId: 's' }, 10_000);
      expect((await store.listWorkers()).map((w) => [w.id, w.online])).toEqual([
        [b.id, true],
        [a.id, false],
      ]);
    });
  });
}
