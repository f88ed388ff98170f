/**
 * kv-etcd: Kv on a real etcd through the raw v3 RPCs of the `etcd3` client.
 */
import { etcdClientOptions, type EtcdSecurity } from './etcd-security.js';
import { Etcd3, type ICompare, type IKeyValue, type IRequestOp } from 'etcd3';
import type { Kv, KvEntry, KvTxn, KvWatchEvent } from './kv.js';

/** prefixEnd is etcd's range_end for "every key starting with prefix". */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/**
 * RANGE_PAGE_KEYS and MAX_RECEIVE_BYTES: no etcd value exceeds its --max-request-bytes (1.5 MiB
 * by default), so a page of 32 keys always fits a 64 MiB message; 32 output events of 16 KiB are
 * about 0.7 MB. (The etcd3 client treats an oversized answer as a failed host, so pages must fit.)
 */
const RANGE_PAGE_KEYS = 32;
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

function entry(kv: IKeyValue): KvEntry {
  return { key: kv.key.toString(), value: kv.value.toString(), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
}

/** EtcdKv is Kv on etcd; it owns its client. */
export class EtcdKv implements Kv {
  private readonly client: Etcd3;

  constructor(endpoints: string[], security?: EtcdSecurity) {
    this.client = new Etcd3(etcdClientOptions(endpoints, security, { dialTimeout: 5_000, grpcOptions: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES } }));
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const response = await this.client.kv.range({ key: Buffer.from(key) });
    return response.kvs[0] && entry(response.kvs[0]);
  }

  /**
   * range reads in pages of RANGE_PAGE_KEYS at one revision (the first page's), so a prefix
   * holding more than one gRPC message (a job's stored output can be 64 MiB) still reads whole
   * and consistent.
   */
  async range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    const entries: KvEntry[] = [];
    const end = prefixEnd(prefix);
    let from = Buffer.from(prefix);
    let revision: string | undefined;
    for (;;) {
      const response = await this.client.kv.range({ key: from, range_end: end, limit: String(RANGE_PAGE_KEYS), ...(revision && { revision }), sort_order: 'Ascend', sort_target: 'Key' });
      revision ??= String(response.header.revision);
      entries.push(...response.kvs.map(entry));
      const last = response.kvs.at(-1);
      if (!response.more || !last) return { entries, revision: Number(revision) };
      from = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  async txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }> {
    const compare: ICompare[] = (txn.compares ?? []).map((c) => ({ key: Buffer.from(c.key), target: 'Mod', result: 'Equal', mod_revision: String(c.modRevision) }));
    const success: IRequestOp[] = [
      ...(txn.puts ?? []).map((p) => ({ request_put: { key: Buffer.from(p.key), value: Buffer.from(p.value), ...(p.lease && { lease: p.lease }) } })),
      ...(txn.deletes ?? []).map((key) => ({ request_delete_range: { key: Buffer.from(key) } })),
    ];
    const response = await this.client.kv.txn({ compare, success, failure: [] });
    return { succeeded: response.succeeded, revision: Number(response.header.revision) };
  }

  async watch(prefix: string, afterRevision: number, onEvent: (event: KvWatchEvent) => void): Promise<{ stop(): Promise<void> }> {
    const watcher = await this.client.watch().prefix(prefix).startRevision(String(afterRevision + 1)).create();
    watcher.on('put', (kv) => onEvent({ type: 'put', entry: entry(kv) }));
    watcher.on('delete', (kv) => onEvent({ type: 'delete', entry: entry(kv) }));
    watcher.on('error', () => undefined);
    return { stop: () => watcher.cancel() };
  }

  async grantLease(ttlMs: number): Promise<string> {
    const response = await this.client.leaseClient.leaseGrant({ TTL: Math.max(1, Math.ceil(ttlMs / 1000)), ID: 0 });
    return String(response.ID);
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }
}
