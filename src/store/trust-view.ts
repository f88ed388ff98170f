/**
 * trust-view: a mirror of every trust record, for /metrics, the fleet summary, the gateway and
 * the scheduler's placement.
 */
import type { TrustRecord } from '../common/trust.js';
import type { Logger } from '../common/logger.js';
import { Mirror } from './mirror.js';
import type { TrustStore } from './trust-store.js';

export class TrustView {
  readonly records = new Map<string, { record: TrustRecord; modRevision: number }>();
  private mirror: Mirror<TrustRecord> | undefined;

  /** start mirrors trust/; `onChange` hears every change after the first read. */
  static async start(store: TrustStore, logger?: Logger, onChange?: () => void): Promise<TrustView> {
    const view = new TrustView();
    const prefix = store.trustPrefix();
    // A corrupt record is skipped (and logged by the store); the worker then counts as unverified.
    view.mirror = await Mirror.start(store.kv, prefix, store.decodeTrust, {
      put: (_key, record, entry) => {
        view.set(record, entry.modRevision);
        if (view.mirror) onChange?.();
      },
      delete: (key) => {
        view.records.delete(key.slice(prefix.length));
        onChange?.();
      },
    }, logger);
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
    await this.mirror?.stop();
  }
}
