/**
 * Mirror: the copy every cache sits on. When the link to etcd breaks and etcd compacts away the
 * revision the watch would resume from, etcd cancels the watch on reconnect; the mirror then
 * re-reads and watches again, reporting what changed meanwhile (deletes too) and never rolling
 * a key back. Real etcd, reached through a proxy the test cuts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { Mirror } from '../../src/store/mirror.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { waitFor } from '../support/processes.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let etcd: EtcdServer;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

it('re-reads after etcd cancels its watch (compaction while cut off): deletes and puts made meanwhile arrive, nothing rolls back', async () => {
  const proxy = await TcpProxy.start(etcd.endpoint.replace(/^https?:\/\//, ''));
  const far = new EtcdKv([`http://${proxy.address}`]);
  const near = new EtcdKv([etcd.endpoint]);
  const p = `/mirror-${randomBytes(4).toString('hex')}/`;
  try {
    await near.txn({ puts: [{ key: `${p}a`, value: '1' }, { key: `${p}b`, value: '1' }] });
    const copy = new Map<string, string>();
    let resyncs = 0;
    const mirror = await Mirror.start(far, p, (e) => e.value, { put: (key, value) => copy.set(key.slice(p.length), value), delete: (key) => copy.delete(key.slice(p.length)), resynced: () => resyncs++ });
    expect(Object.fromEntries(copy)).toEqual({ a: '1', b: '1' });
    await near.txn({ puts: [{ key: `${p}a`, value: '2' }] });
    await waitFor(() => (copy.get('a') === '2' ? true : undefined), 5_000, 'a live change');

    // Cut the mirror off; meanwhile the fleet changes and etcd compacts its history.
    proxy.mode = 'blackhole';
    proxy.resetAll();
    await near.txn({ puts: [{ key: `${p}a`, value: '3' }, { key: `${p}c`, value: '3' }], deletes: [`${p}b`] });
    const { revision } = await near.txn({ puts: [{ key: `${p}d`, value: '4' }] });
    await near.compact(revision);
    proxy.mode = 'pass';
    proxy.resetAll();

    await waitFor(() => (resyncs > 0 && copy.get('d') === '4' ? true : undefined), 30_000, 'the mirror to re-read after its watch was cancelled');
    expect(Object.fromEntries(copy)).toEqual({ a: '3', c: '3', d: '4' });
    // And it follows again.
    await near.txn({ puts: [{ key: `${p}e`, value: '5' }] });
    await waitFor(() => (copy.get('e') === '5' ? true : undefined), 5_000, 'a change after the re-read');
    await mirror.stop();
  } finally {
    await far.close();
    await near.close();
    await proxy.close();
  }
}, 60_000);
