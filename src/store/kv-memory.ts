/**
 * kv-memory: Kv in this process, with etcd's semantics: one global revision counter, create/mod
 * revisions per key, atomic compare-and-swap, ordered watches replayed from a bounded history
 * (a watch from before it is cancelled, as etcd cancels one from a compacted revision), and
 * leases whose keys vanish TTL after the last renewal.
 */
import type { Kv, KvEntry, KvPage, KvTxn, KvWatchEvent, KvWatchHandlers } from './kv.js';

/** HISTORY_LIMIT bounds the replayable change log, as etcd's auto-compaction bounds its own. */
const HISTORY_LIMIT = 10_000;
/** MAX_TIMER_MS: the longest delay setTimeout honours (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

interface Watcher {
  prefix: string;
  handlers: KvWatchHandlers;
}

interface MemoryLease {
  ttlMs: number;
  renewedAtMs: number;
  timer: NodeJS.Timeout;
  keys: Set<string>;
}

/** MemoryKv keeps keys in a Map; it is lost when the process exits. */
export class MemoryKv implements Kv {
  readonly kind = 'memory';
  private revision = 1;
  private compacted = 0;
  private readonly data = new Map<string, KvEntry>();
  private readonly watchers = new Set<Watcher>();
  private readonly leases = new Map<string, MemoryLease>();
  private nextLease = 1;
  /** history keeps recent changes so a watch can start from a past revision. */
  private readonly history: KvWatchEvent[] = [];

  ping(): Promise<void> {
    return Promise.resolve();
  }

  get(key: string): Promise<KvEntry | undefined> {
    const found = this.data.get(key);
    return Promise.resolve(found && { ...found });
  }

  getMany(keys: string[]): Promise<Array<KvEntry | undefined>> {
    return Promise.resolve(keys.map((key) => {
      const found = this.data.get(key);
      return found && { ...found };
    }));
  }

  range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    return Promise.resolve({ entries: this.sorted(prefix).map((e) => ({ ...e })), revision: this.revision });
  }

  page(prefix: string, options: { after?: string; limit: number; revision?: number }): Promise<KvPage> {
    // Pages read the present: the memory store keeps no old versions (etcd's paged reads are
    // consistent at `revision`; callers must not rely on more than "no key twice, none skipped").
    const all = this.sorted(prefix).filter((e) => options.after === undefined || e.key > options.after);
    return Promise.resolve({ entries: all.slice(0, options.limit).map((e) => ({ ...e })), revision: this.revision, more: all.length > options.limit });
  }

  txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }> {
    for (const c of txn.compares ?? []) {
      if ((this.data.get(c.key)?.modRevision ?? 0) !== c.modRevision) return Promise.resolve({ succeeded: false, revision: this.revision });
    }
    for (const p of txn.puts ?? []) {
      if (p.lease && !this.leases.has(p.lease)) return Promise.reject(new Error(`etcdserver: requested lease not found (${p.lease})`));
    }
    if ((txn.puts?.length ?? 0) + (txn.deletes?.length ?? 0) > 0) this.revision += 1;
    const events: KvWatchEvent[] = [];
    for (const p of txn.puts ?? []) {
      const previous = this.data.get(p.key);
      if (previous?.lease) this.leases.get(previous.lease)?.keys.delete(p.key);
      const next: KvEntry = { key: p.key, value: p.value, createRevision: previous?.createRevision ?? this.revision, modRevision: this.revision, ...(p.lease && { lease: p.lease }) };
      if (p.lease) this.leases.get(p.lease)!.keys.add(p.key);
      this.data.set(p.key, next);
      events.push({ type: 'put', entry: { ...next } });
    }
    for (const key of txn.deletes ?? []) this.remove(key, events);
    this.publish(events);
    return Promise.resolve({ succeeded: true, revision: this.revision });
  }

  watch(prefix: string, afterRevision: number, handlers: KvWatchHandlers): Promise<{ stop(): Promise<void> }> {
    const watcher: Watcher = { prefix, handlers };
    if (afterRevision < this.compacted) {
      queueMicrotask(() => handlers.onCancelled?.(`required revision ${afterRevision + 1} has been compacted (compacted at ${this.compacted})`));
      return Promise.resolve({ stop: () => Promise.resolve() });
    }
    // Replay what happened since afterRevision from the history, as etcd replays its log.
    const missed = this.history.filter((e) => e.entry.modRevision > afterRevision && e.entry.key.startsWith(prefix));
    this.watchers.add(watcher);
    if (missed.length) queueMicrotask(() => missed.forEach((e) => this.watchers.has(watcher) && handlers.onEvent(e)));
    return Promise.resolve({
      stop: () => {
        this.watchers.delete(watcher);
        return Promise.resolve();
      },
    });
  }

  compact(revision: number): Promise<void> {
    if (revision > this.revision) return Promise.reject(new Error(`etcdserver: mvcc: required revision is a future revision`));
    this.compacted = Math.max(this.compacted, revision);
    const keep = this.history.findIndex((e) => e.entry.modRevision > this.compacted);
    this.history.splice(0, keep < 0 ? this.history.length : keep);
    return Promise.resolve();
  }

  grantLease(ttlMs: number): Promise<string> {
    const id = String(this.nextLease++);
    const lease: MemoryLease = { ttlMs, renewedAtMs: Date.now(), timer: this.expiryTimer(id, ttlMs), keys: new Set() };
    this.leases.set(id, lease);
    return Promise.resolve(id);
  }

  keepAlive(id: string): Promise<boolean> {
    const lease = this.leases.get(id);
    if (!lease) return Promise.resolve(false);
    clearTimeout(lease.timer);
    lease.timer = this.expiryTimer(id, lease.ttlMs);
    lease.renewedAtMs = Date.now();
    return Promise.resolve(true);
  }

  revokeLease(id: string): Promise<void> {
    this.expire(id);
    return Promise.resolve();
  }

  leaseRenewedAtMs(id: string): Promise<number | undefined> {
    return Promise.resolve(this.leases.get(id)?.renewedAtMs);
  }

  close(): Promise<void> {
    for (const lease of this.leases.values()) clearTimeout(lease.timer);
    this.watchers.clear();
    return Promise.resolve();
  }

  private sorted(prefix: string): KvEntry[] {
    return [...this.data.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** expiryTimer fires at the lease's end; a TTL past setTimeout's range (about 24.8 days) re-arms in steps. */
  private expiryTimer(id: string, ttlMs: number): NodeJS.Timeout {
    const step = Math.min(ttlMs, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      const lease = this.leases.get(id);
      if (ttlMs > step && lease) lease.timer = this.expiryTimer(id, ttlMs - step);
      else this.expire(id);
    }, step);
    timer.unref();
    return timer;
  }

  /** expire ends a lease and deletes its keys in one revision, as etcd does. */
  private expire(id: string): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    clearTimeout(lease.timer);
    this.leases.delete(id);
    if (lease.keys.size === 0) return;
    this.revision += 1;
    const events: KvWatchEvent[] = [];
    for (const key of lease.keys) this.remove(key, events);
    this.publish(events);
  }

  private remove(key: string, events: KvWatchEvent[]): void {
    const previous = this.data.get(key);
    if (!previous) return;
    if (previous.lease) this.leases.get(previous.lease)?.keys.delete(key);
    this.data.delete(key);
    events.push({ type: 'delete', entry: { ...previous, modRevision: this.revision } });
  }

  private publish(events: KvWatchEvent[]): void {
    if (events.length === 0) return;
    this.history.push(...events);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.compacted = Math.max(this.compacted, dropped.at(-1)!.entry.modRevision);
    }
    const watchers = [...this.watchers];
    // Delivered asynchronously and in order, as an etcd watch delivers.
    queueMicrotask(() => {
      for (const event of events) for (const w of watchers) if (this.watchers.has(w) && event.entry.key.startsWith(w.prefix)) w.handlers.onEvent(event);
    });
  }
}
