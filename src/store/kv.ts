/**
 * kv: the small slice of etcd's data model the job store is written against — revisions,
 * compare-and-swap transactions, prefix ranges, watches from a revision, leases. Two
 * implementations: etcd itself (kv-etcd.ts) and an in-memory MVCC-lite for `tessera dev`
 * (kv-memory.ts). One contract suite runs against both.
 */

/** KvEntry is one key with its revisions, as etcd reports them. */
export interface KvEntry {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

/** KvCompare holds when the key's mod revision equals `modRevision` (0: the key must not exist). */
export interface KvCompare {
  key: string;
  modRevision: number;
}

/** KvPut writes a key, optionally on a lease. */
export interface KvPut {
  key: string;
  value: string;
  lease?: string;
}

/** KvTxn is all-or-nothing: every compare holds, then every put and delete applies. */
export interface KvTxn {
  compares?: KvCompare[];
  puts?: KvPut[];
  deletes?: string[];
}

/** KvWatchEvent is one change seen by a watch. */
export interface KvWatchEvent {
  type: 'put' | 'delete';
  entry: KvEntry;
}

/** Kv is the store contract the job store relies on. */
export interface Kv {
  get(key: string): Promise<KvEntry | undefined>;
  /** range returns every key under `prefix`, sorted by key, and the store revision it was read at. */
  range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }>;
  /** txn applies atomically if all compares hold; `revision` is the store revision after it. */
  txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }>;
  /** watch reports every change under `prefix` after `afterRevision`, in order. */
  watch(prefix: string, afterRevision: number, onEvent: (event: KvWatchEvent) => void): Promise<{ stop(): Promise<void> }>;
  grantLease(ttlMs: number): Promise<string>;
  close(): Promise<void>;
}

/** MAX_TXN_OPS: etcd's default --max-txn-ops is 128; callers batch below it. */
export const MAX_TXN_OPS = 128;

/** parseJson reads a stored JSON value; a corrupt one is undefined, so a reader skips it rather than failing. */
export function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
