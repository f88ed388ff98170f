/**
 * kv: the slice of etcd's data model every Tessera store is written against — revisions,
 * compare-and-swap transactions, paged prefix ranges, watches from a revision (cancelled when
 * etcd compacted that revision away), and leases with keep-alive. Two implementations: etcd
 * itself (kv-etcd.ts) and an in-memory MVCC-lite for `tessera dev` (kv-memory.ts). One contract
 * suite (test/integration/kv-contract.test.ts) runs against both.
 */
import type { z } from 'zod';

/** KvEntry is one key with its revisions, as etcd reports them. */
export interface KvEntry {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  /** The lease the key hangs on, if any. */
  lease?: string;
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

/** KvPage is one page of a range: `more` says keys after the last one remain. */
export interface KvPage {
  entries: KvEntry[];
  revision: number;
  more: boolean;
}

/** KvWatchHandlers: `onCancelled` runs once when the store ends the watch (compaction, or the watch could not resume). */
export interface KvWatchHandlers {
  onEvent(event: KvWatchEvent): void;
  onCancelled?(reason: string): void;
}

/** Kv is the store contract every Tessera store relies on. */
export interface Kv {
  readonly kind: 'etcd' | 'memory';
  /** ping checks that the store answers (a wrong etcd URL fails at start-up with a clear message). */
  ping(): Promise<void>;
  get(key: string): Promise<KvEntry | undefined>;
  /** range returns every key under `prefix`, sorted by key, read in pages at one revision. */
  range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }>;
  /** getMany reads several keys in one request (at most MAX_TXN_OPS). */
  getMany(keys: string[]): Promise<Array<KvEntry | undefined>>;
  /** page returns up to `limit` keys under `prefix` after key `after` (exclusive), at `revision` if given. */
  page(prefix: string, options: { after?: string; limit: number; revision?: number }): Promise<KvPage>;
  /** txn applies atomically if all compares hold; `revision` is the store revision after it. */
  txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }>;
  /** watch reports every change under `prefix` after `afterRevision`, in order. */
  watch(prefix: string, afterRevision: number, handlers: KvWatchHandlers): Promise<{ stop(): Promise<void> }>;
  /** compact discards history up to `revision`: watches from before it are cancelled (operators' auto-compaction does this). */
  compact(revision: number): Promise<void>;
  grantLease(ttlMs: number): Promise<string>;
  /** keepAlive renews a lease; false when it already expired (its keys are gone). */
  keepAlive(lease: string): Promise<boolean>;
  /** revokeLease ends a lease now: its keys vanish at once. */
  revokeLease(lease: string): Promise<void>;
  /** leaseRenewedAtMs estimates when a lease was last renewed (etcd reports whole seconds); undefined once expired. */
  leaseRenewedAtMs(lease: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** MAX_TXN_OPS: etcd's default --max-txn-ops is 128; callers batch below it. */
export const MAX_TXN_OPS = 128;
/**
 * MAX_TXN_BYTES: etcd refuses requests over --max-request-bytes (1.5 MiB by default); writers
 * split their transactions below this, leaving room for keys and framing.
 */
export const MAX_TXN_BYTES = 1_200_000;

/** parseJson reads a stored JSON value; a corrupt one is undefined, so a reader skips it rather than failing. */
export function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** DecodeLog is where a skipped value is reported (the stores' logger). */
export interface DecodeLog {
  error(fields: object, message: string): void;
}

/**
 * decodeEntry parses a stored value through its schema. A value that is not JSON or does not
 * match is logged and skipped: one corrupt key never fails a read or crashes a server.
 */
export function decodeEntry<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, entry: KvEntry, log?: DecodeLog): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(entry.value);
  } catch (err) {
    log?.error({ key: entry.key, err }, 'skipping a stored value that is not JSON');
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  log?.error({ key: entry.key, issues: parsed.error.issues.slice(0, 5) }, 'skipping a stored value that does not match its schema');
  return undefined;
}
