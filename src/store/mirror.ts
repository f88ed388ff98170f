/**
 * mirror: the one way a Tessera process keeps an in-memory copy of a key prefix — read it, watch
 * from the revision read, and when the store cancels the watch (etcd compacted the revision it
 * would resume from), read again and watch again, reporting what changed meanwhile. A copy never
 * rolls back: a change older than what it holds is dropped. The topology view, the trust view,
 * the quota gate and the scheduler's job cache all sit on mirrors.
 */
import type { DecodeLog, Kv, KvEntry } from './kv.js';

/** MirrorHandlers hear each change once, in store order; `value` is already decoded. */
export interface MirrorHandlers<T> {
  put(key: string, value: T, entry: KvEntry): void;
  delete(key: string, modRevision: number): void;
  /** resynced runs after a re-read that followed a cancelled watch (for logs and metrics). */
  resynced?(revision: number): void;
  /** held: the revision of `key` the consumer already holds (its own commits), so the echo of its own write is not decoded again. */
  held?(key: string): number | undefined;
}

/** RESYNC_BACKOFF_MS: waits between attempts to re-read after a cancelled watch while the store is down. */
const RESYNC_BACKOFF_MS = [100, 500, 1_000, 2_000, 5_000];

export class Mirror<T> {
  /** resyncsTotal counts re-reads after cancelled watches in this process (tessera_store_resyncs_total). */
  static resyncsTotal = 0;
  /** revision is the store revision the copy is complete at (the read, or the last change applied). */
  revision = 0;
  /** resyncs counts re-reads after cancelled watches. */
  resyncs = 0;
  private readonly known = new Map<string, number>();
  private watch: { stop(): Promise<void> } | undefined;
  private stopped = false;

  private constructor(
    private readonly kv: Kv,
    readonly prefix: string,
    private readonly decode: (entry: KvEntry) => T | undefined,
    private readonly handlers: MirrorHandlers<T>,
    private readonly log?: DecodeLog & { warn(fields: object, message: string): void },
  ) {}

  /** start reads the prefix (each key reaches `put`) and follows every later change. */
  static async start<T>(kv: Kv, prefix: string, decode: (entry: KvEntry) => T | undefined, handlers: MirrorHandlers<T>, log?: DecodeLog & { warn(fields: object, message: string): void }): Promise<Mirror<T>> {
    const mirror = new Mirror(kv, prefix, decode, handlers, log);
    await mirror.sync();
    return mirror;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watch?.stop();
  }

  private async sync(): Promise<void> {
    const { entries, revision } = await this.kv.range(this.prefix);
    const present = new Set<string>();
    for (const entry of entries) {
      present.add(entry.key);
      this.apply(entry);
    }
    // Keys that vanished while no watch ran (expired leases, deletes) go now.
    for (const [key] of this.known) {
      if (!present.has(key)) {
        this.known.delete(key);
        this.handlers.delete(key, revision);
      }
    }
    this.revision = Math.max(this.revision, revision);
    this.watch = await this.kv.watch(this.prefix, revision, {
      onEvent: (event) => {
        if (event.type === 'put') this.apply(event.entry);
        else if (this.known.delete(event.entry.key)) this.handlers.delete(event.entry.key, event.entry.modRevision);
        this.revision = Math.max(this.revision, event.entry.modRevision);
      },
      onCancelled: (reason) => void this.resync(reason),
    });
    if (this.stopped) await this.watch.stop();
  }

  private apply(entry: KvEntry): void {
    const known = this.known.get(entry.key);
    if (known !== undefined && known >= entry.modRevision) return;
    this.known.set(entry.key, entry.modRevision);
    if ((this.handlers.held?.(entry.key) ?? -1) >= entry.modRevision) return;
    const value = this.decode(entry);
    if (value !== undefined) this.handlers.put(entry.key, value, entry);
  }

  private async resync(reason: string): Promise<void> {
    this.log?.warn({ prefix: this.prefix, reason }, 'store cancelled a watch (compaction?): re-reading and watching again');
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.sync();
        this.resyncs += 1;
        Mirror.resyncsTotal += 1;
        this.handlers.resynced?.(this.revision);
        return;
      } catch (err) {
        this.log?.warn({ prefix: this.prefix, err }, 're-reading after a cancelled watch failed; retrying');
        await new Promise((r) => setTimeout(r, RESYNC_BACKOFF_MS[Math.min(attempt, RESYNC_BACKOFF_MS.length - 1)]).unref());
      }
    }
  }
}
