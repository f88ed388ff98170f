/**
 * event-feeds: one etcd watch per job, shared by every StreamJobEvents subscriber of that job on
 * this gateway (a thousand clients following one job cost etcd one watch, not a thousand). A
 * subscriber catches up by reading pages from its own `after_sequence` — keyed by sequence, so
 * nothing before it is read — while the shared watch already buffers what arrives; the overlap
 * is dropped by sequence. When etcd cancels the watch (a compaction while this gateway was cut
 * off), the feed watches again and every subscriber catches up again from its last sequence.
 */
import type { JobEvent } from '../common/job.js';
import type { Logger } from '../common/logger.js';
import type { JobStore } from '../store/job-store.js';

/** Subscriber receives a job's events in order, each once. */
export interface Subscriber {
  deliver(event: JobEvent): void;
  /** pause buffers what the feed delivers until the next catch-up (the watch is being re-established). */
  pause(): void;
  /** catchUp re-reads from the subscriber's last sequence (after a cancelled watch). */
  catchUp(): void;
}

interface Feed {
  subscribers: Set<Subscriber>;
  ready: Promise<void>;
  stop?: () => Promise<void>;
}

export class EventFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(
    private readonly store: JobStore,
    private readonly logger: Logger,
  ) {}

  /** watching is the number of etcd watches open (one per job with subscribers). */
  get watching(): number {
    return this.feeds.size;
  }

  /** subscribe joins a job's feed; resolves once the shared watch is running. Returns the leave function. */
  async subscribe(jobId: string, subscriber: Subscriber): Promise<() => void> {
    let feed = this.feeds.get(jobId);
    if (!feed) {
      const created: Feed = { subscribers: new Set(), ready: Promise.resolve() };
      created.ready = this.watch(jobId, created);
      this.feeds.set(jobId, (feed = created));
    }
    feed.subscribers.add(subscriber);
    const joined = feed;
    const leave = (): void => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0 && this.feeds.get(jobId) === joined) {
        this.feeds.delete(jobId);
        void joined.ready.then(() => joined.stop?.()).catch(() => undefined);
      }
    };
    try {
      await feed.ready;
    } catch (err) {
      // A watch that could not start (etcd unreachable) is not kept: the next subscriber tries afresh.
      if (this.feeds.get(jobId) === joined) this.feeds.delete(jobId);
      leave();
      throw err;
    }
    return leave;
  }

  /** watch starts the feed's watch at the store's current revision: subscribers' page reads happen after it, so none falls in a gap. */
  private async watch(jobId: string, feed: Feed): Promise<void> {
    const { revision } = await this.store.kv.page(this.store.keys.events(jobId), { limit: 1 });
    const watch = await this.store.watchEvents(
      jobId,
      revision,
      (event) => {
        for (const s of feed.subscribers) s.deliver(event);
      },
      (reason) => {
        this.logger.warn({ jobId, reason }, 'event watch cancelled; watching again and catching subscribers up');
        feed.ready = this.rewatch(jobId, feed);
      },
    );
    feed.stop = () => watch.stop();
  }

  /** rewatch starts the feed's watch again, retrying while the store is unreachable, then catches every subscriber up. */
  private async rewatch(jobId: string, feed: Feed): Promise<void> {
    // Events the new watch replays must not run ahead of the read that fills the gap: hold them until the catch-up.
    for (const s of feed.subscribers) s.pause();
    for (let attempt = 0; this.feeds.get(jobId) === feed; attempt++) {
      try {
        await this.watch(jobId, feed);
        for (const s of feed.subscribers) s.catchUp();
        return;
      } catch (err) {
        this.logger.warn({ err, jobId }, 'cannot watch job events again yet; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)).unref());
      }
    }
  }
}
