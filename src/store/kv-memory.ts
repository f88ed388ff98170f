/**
 * kv-memory: Kv in this process, with etcd's revision semantics: one global revision counter,
 * create/mod revisions per key, atomic compare-and-swap, ordered watches, expiring leases.
 */
import type { Kv, KvEntry, KvTxn, KvWatchEvent } from './kv.js';

/** HISTORY_LIMIT bounds the replayable change log. */
const HISTORY_LIMIT = 10_000;

interface Watcher {
  prefix: string;
  onEvent: (event: KvWatchEvent) => void;
}

/** MemoryKv keeps keys in a Map; it is lost when the process exits. */
export class MemoryKv implements Kv {
  private revision = 1;
  private readonly data = new Map<string, KvEntry & { lease?: string }>();
  private readonly watchers = new Set<Watcher>();
  private readonly leases = new Map<string, NodeJS.Timeout>();
  private nextLease = 1;
  /** history keeps recent changes so a watch can start from a past revision (bounded like etcd's before compaction). */
  private readonly history: KvWatchEvent[] = [];

  get(key: string): Promise<KvEntry | undefined> {
    const found = this.data.get(key);
    return Promise.resolve(found && strip(found));
  }

  range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    const entries = [...this.data.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return Promise.resolve({ entries: entries.map(strip), revision: this.revision });
  }

  txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }> {
    for (const c of txn.compares ?? []) {
      if ((this.data.get(c.key)?.modRevision ?? 0) !== c.modRevision) return Promise.resolve({ succeeded: false, revision: this.revision });
    }
    const events: KvWatchEvent[] = [];
    if ((txn.puts?.length ?? 0) + (txn.deletes?.length ?? 0) > 0) this.revision += 1;
    for (const p of txn.puts ?? []) {
      const previous = this.data.get(p.key);
      const next = { key: p.key, value: p.value, createRevision: previous?.createRevision ?? this.revision, modRevision: this.revision, ...(p.lease && { lease: p.lease }) };
      this.data.set(p.key, next);
      events.push({ type: 'put', entry: strip(next) });
    }
    for (const key of txn.deletes ?? []) {
      const previous = this.data.get(key);
      if (!previous) continue;
      this.data.delete(key);
      events.push({ type: 'delete', entry: { ...strip(previous), modRevision: this.revision } });
    }
    this.publish(events);
    return Promise.resolve({ succeeded: true, revision: this.revision });
  }

  watch(prefix: string, afterRevision: number, onEvent: (event: KvWatchEvent) => void): Promise<{ stop(): Promise<void> }> {
    const watcher: Watcher = { prefix, onEvent };
    // Replay what happened since afterRevision from the bounded history, as etcd replays its log.
    const missed = this.history.filter((e) => e.entry.modRevision > afterRevision && e.entry.key.startsWith(prefix));
    this.watchers.add(watcher);
    if (missed.length) queueMicrotask(() => missed.forEach((e) => this.watchers.has(watcher) && onEvent(e)));
    return Promise.resolve({
      stop: () => {
        this.watchers.delete(watcher);
        return Promise.resolve();
      },
    });
  }

  grantLease(ttlMs: number): Promise<string> {
    const id = String(this.nextLease++);
    const timer = setTimeout(() => {
      this.leases.delete(id);
      const expired = [...this.data.values()].filter((e) => e.lease === id).map((e) => e.key);
      if (expired.length) void this.txn({ deletes: expired });
    }, ttlMs);
    timer.unref();
    this.leases.set(id, timer);
    return Promise.resolve(id);
  }

  close(): Promise<void> {
    for (const timer of this.leases.values()) clearTimeout(timer);
    this.watchers.clear();
    return Promise.resolve();
  }

  private publish(events: KvWatchEvent[]): void {
    if (events.length === 0) return;
    this.history.push(...events);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    const watchers = [...this.watchers];
    // Delivered asynchronously and in order, as an etcd watch delivers.
    queueMicrotask(() => {
      for (const event of events) for (const w of watchers) if (this.watchers.has(w) && event.entry.key.startsWith(w.prefix)) w.onEvent(event);
    });
  }
}

function strip(e: KvEntry): KvEntry {
  return { key: e.key, value: e.value, createRevision: e.createRevision, modRevision: e.modRevision };
}
