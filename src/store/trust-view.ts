/**
 * trust-view: a watch-fed copy of every trust record, for /metrics, the fleet summary, the
 * gateway and the scheduler's placement.
 */
import type { TrustRecord } from '../common/trust.js';
import type { TrustStore } from './trust-store.js';
import { parseJson } from './kv.js';

export class TrustView {
  readonly records = new Map<string, { record: TrustRecord; modRevision: number }>();
  private stopWatch: (() => Promise<void>) | undefined;

  static async start(store: TrustStore): Promise<TrustView> {
    const view = new TrustView();
    const { entries, revision } = await store.kv.range(store.trustPrefix());
    for (const e of entries) view.apply(e.key, e.value, e.modRevision);
    const watch = await store.kv.watch(store.trustPrefix(), revision, (change) => {
      if (change.type === 'delete') view.records.delete(change.entry.key.slice(store.trustPrefix().length));
      else view.apply(change.entry.key, change.entry.value, change.entry.modRevision);
    });
    view.stopWatch = () => watch.stop();
    return view;
  }

  /** set records a value this process wrote, at the revision it got. */
  set(record: TrustRecord, modRevision: number): void {
    const current = this.records.get(record.workerId);
    if (!current || current.modRevision <= modRevision) this.records.set(record.workerId, { record, modRevision });
  }

  get(workerId: string): TrustRecord | undefined {
    return this.records.get(workerId)?.record;
  }

  async stop(): Promise<void> {
    await this.stopWatch?.();
  }

  private apply(_key: string, value: string, modRevision: number): void {
    // A corrupt record is skipped; the worker then counts as unverified.
    const record = parseJson<TrustRecord>(value);
    if (record) this.set(record, modRevision);
  }
}
