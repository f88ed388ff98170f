/**
 * kv-etcd: Kv on a real etcd through the raw v3 RPCs of the `etcd3` client. One EtcdKv is the
 * one etcd client of a process: every store (topology, jobs, trust, tenants) runs on it, and its
 * leases are renewed on one shared keep-alive stream (lease-keeper.ts).
 */
import { etcdClientOptions, type EtcdSecurity } from './etcd-security.js';
import { Etcd3, type ICompare, type IKeyValue, type IRequestOp } from 'etcd3';
import { StoreUnavailable } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import { LeaseKeeper } from './lease-keeper.js';
import { MAX_TXN_OPS, type Kv, type KvEntry, type KvPage, type KvTxn, type KvWatchHandlers } from './kv.js';

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
 * by default), so a page of 32 keys always fits a 64 MiB message. (The etcd3 client treats an
 * oversized answer as a failed host, so pages must fit.)
 */
const RANGE_PAGE_KEYS = 32;
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

function entry(kv: IKeyValue): KvEntry {
  const lease = String(kv.lease);
  return { key: kv.key.toString(), value: kv.value.toString(), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision), ...(lease !== '0' && { lease }) };
}

/** EtcdKvOptions: TLS/auth, and the logger for the lease stream. */
export interface EtcdKvOptions {
  security?: EtcdSecurity;
  logger?: Logger;
  dialTimeoutMs?: number;
}

/** EtcdKv is Kv on etcd; it owns its client. */
export class EtcdKv implements Kv {
  readonly kind = 'etcd';
  private readonly client: Etcd3;
  private readonly keeper: LeaseKeeper;

  /** `endpoints`: etcd's client URLs, e.g. "http://127.0.0.1:2379". */
  constructor(
    private readonly endpoints: string[],
    private readonly options: EtcdKvOptions = {},
  ) {
    this.client = new Etcd3(etcdClientOptions(endpoints, options.security, { dialTimeout: options.dialTimeoutMs ?? 5_000, grpcOptions: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES } }));
    this.keeper = new LeaseKeeper(this.client, options.logger);
  }

  async ping(): Promise<void> {
    try {
      await this.client.maintenance.status({ deadline: Date.now() + (this.options.dialTimeoutMs ?? 5_000) });
    } catch (err) {
      throw new StoreUnavailable(`etcd at ${this.endpoints.join(',')} does not answer: ${(err as Error).message}`, { cause: err });
    }
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const response = await this.client.kv.range({ key: Buffer.from(key) });
    return response.kvs[0] && entry(response.kvs[0]);
  }

  /** getMany reads keys in read-only transactions of MAX_TXN_OPS ranges: one round trip per 128 keys. */
  async getMany(keys: string[]): Promise<Array<KvEntry | undefined>> {
    const found: Array<KvEntry | undefined> = [];
    for (let i = 0; i < keys.length; i += MAX_TXN_OPS) {
      const success = keys.slice(i, i + MAX_TXN_OPS).map((key) => ({ request_range: { key: Buffer.from(key) } }));
      const response = await this.client.kv.txn({ compare: [], success, failure: [] });
      for (const r of response.responses) {
        const kv = r.response_range?.kvs[0];
        found.push(kv && entry(kv));
      }
    }
    return found;
  }

  /**
   * range reads in pages of RANGE_PAGE_KEYS at one revision (the first page's), so a prefix
   * holding more than one gRPC message still reads whole and consistent.
   */
  async range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    const entries: KvEntry[] = [];
    let page = await this.page(prefix, { limit: RANGE_PAGE_KEYS });
    const revision = page.revision;
    entries.push(...page.entries);
    while (page.more) {
      page = await this.page(prefix, { after: page.entries.at(-1)!.key, limit: RANGE_PAGE_KEYS, revision });
      entries.push(...page.entries);
    }
    return { entries, revision };
  }

  async page(prefix: string, options: { after?: string; limit: number; revision?: number }): Promise<KvPage> {
    const from = options.after !== undefined ? Buffer.concat([Buffer.from(options.after), Buffer.from([0])]) : Buffer.from(prefix);
    const response = await this.client.kv.range({
      key: from,
      range_end: prefixEnd(prefix),
      limit: String(options.limit),
      ...(options.revision && { revision: String(options.revision) }),
      // No sort_order: etcd returns keys in order anyway, and with a sort it reads the whole
      // rest of the range before applying the limit (every page would cost the prefix).
    });
    const entries = response.kvs.map(entry);
    return { entries, revision: Number(response.header.revision), more: response.more && entries.length > 0 };
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

  async watch(prefix: string, afterRevision: number, handlers: KvWatchHandlers): Promise<{ stop(): Promise<void> }> {
    const watcher = await this.client.watch().prefix(prefix).startRevision(String(afterRevision + 1)).create();
    let stopped = false;
    watcher.on('put', (kv) => handlers.onEvent({ type: 'put', entry: entry(kv) }));
    watcher.on('delete', (kv) => handlers.onEvent({ type: 'delete', entry: entry(kv) }));
    // The client resumes a watch across reconnects by itself; an error means etcd cancelled it
    // for good (its start revision was compacted away), and the caller must re-read.
    watcher.on('error', (err: Error) => {
      if (stopped) return;
      stopped = true;
      // etcd says why only through compact_revision, which the client does not pass on.
      handlers.onCancelled?.(`${err.message.replace(/:\s*$/, '')}: etcd cancelled the watch (its revision ${afterRevision + 1} has been compacted, or it could not resume)`);
    });
    return {
      stop: async () => {
        stopped = true;
        await watcher.cancel().catch(() => undefined);
      },
    };
  }

  async compact(revision: number): Promise<void> {
    await this.client.kv.compact({ revision: String(revision), physical: true });
  }

  grantLease(ttlMs: number): Promise<string> {
    return this.keeper.grant(ttlMs);
  }

  keepAlive(lease: string): Promise<boolean> {
    return this.keeper.keepAlive(lease);
  }

  revokeLease(lease: string): Promise<void> {
    return this.keeper.revoke(lease);
  }

  leaseRenewedAtMs(lease: string): Promise<number | undefined> {
    return this.keeper.lastRenewalMs(lease);
  }

  close(): Promise<void> {
    this.keeper.close();
    this.client.close();
    return Promise.resolve();
  }
}
