/**
 * trust-store: trust records and each worker's reputation event log, over Kv (etcd or memory).
 *
 *   trust/<worker>                   TrustRecord (written only when it changes)
 *   reputation/<worker>/<ms>-<rand>  ReputationEvent, on a retention lease (8 days: the 7-day
 *                                    window plus a day), so the log is bounded in time
 *   device-ids/<kind>/<sha256(id)>   DeviceIdHolder: the first worker that reported a GPU UUID or
 *                                    serial, kept for good (one key per physical id)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ReputationEvent } from '../common/reputation.js';
import type { TrustRecord } from '../common/trust.js';
import { parseJson, type Kv } from './kv.js';
import { DEFAULT_ROOT } from './keys.js';

/** EVENT_RETENTION_MS: the longest reputation window (7 d) plus a day of slack. */
export const EVENT_RETENTION_MS = 8 * 86_400_000;
/** LEASE_ROTATION_MS: a new retention lease each day, so no event outlives the window by more than a day. */
const LEASE_ROTATION_MS = 86_400_000;

/** DeviceIdHolder records who first reported a device id, and when. */
export interface DeviceIdHolder {
  kind: 'uuid' | 'serial';
  id: string;
  workerId: string;
  firstSeenAtMs: number;
}

export class TrustStore {
  private lease: { id: string; at: number } | undefined;

  constructor(
    readonly kv: Kv,
    readonly root: string = DEFAULT_ROOT,
  ) {}

  trustKey(workerId: string): string {
    return `${this.root}trust/${workerId}`;
  }
  trustPrefix(): string {
    return `${this.root}trust/`;
  }
  eventsPrefix(workerId: string): string {
    return `${this.root}reputation/${workerId}/`;
  }

  async get(workerId: string): Promise<{ record: TrustRecord; modRevision: number } | undefined> {
    const entry = await this.kv.get(this.trustKey(workerId));
    const record = entry && parseJson<TrustRecord>(entry.value);
    return record && { record, modRevision: entry.modRevision };
  }

  /** put writes a record if it is still at `expect` (0: new); the new revision, or undefined when someone else changed it. */
  async put(record: TrustRecord, expect: number): Promise<number | undefined> {
    const result = await this.kv.txn({ compares: [{ key: this.trustKey(record.workerId), modRevision: expect }], puts: [{ key: this.trustKey(record.workerId), value: JSON.stringify(record) }] });
    return result.succeeded ? result.revision : undefined;
  }

  async list(): Promise<{ records: TrustRecord[]; revision: number }> {
    const { entries, revision } = await this.kv.range(this.trustPrefix());
    return { records: entries.map((e) => parseJson<TrustRecord>(e.value)).filter((r): r is TrustRecord => r !== undefined), revision };
  }

  async append(workerId: string, event: ReputationEvent): Promise<void> {
    const lease = await this.retentionLease();
    const key = `${this.eventsPrefix(workerId)}${String(event.atMs).padStart(15, '0')}-${randomBytes(3).toString('hex')}`;
    await this.kv.txn({ puts: [{ key, value: JSON.stringify(event), lease }] });
  }

  /**
   * claimDeviceId records `workerId` as the holder of a device id unless someone holds it already
   * (one create-if-absent transaction); returns the holder, first or earlier.
   */
  async claimDeviceId(kind: 'uuid' | 'serial', id: string, workerId: string, atMs: number): Promise<DeviceIdHolder> {
    const key = `${this.root}device-ids/${kind}/${createHash('sha256').update(id).digest('hex')}`;
    const mine: DeviceIdHolder = { kind, id, workerId, firstSeenAtMs: atMs };
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.kv.txn({ compares: [{ key, modRevision: 0 }], puts: [{ key, value: JSON.stringify(mine) }] });
      if (result.succeeded) return mine;
      const existing = await this.kv.get(key);
      const holder = existing && parseJson<DeviceIdHolder>(existing.value);
      if (holder) return holder;
    }
    throw new Error(`device id ${kind} ${id}: could not read or record its holder`);
  }

  async events(workerId: string): Promise<ReputationEvent[]> {
    const { entries } = await this.kv.range(this.eventsPrefix(workerId));
    return entries.map((e) => parseJson<ReputationEvent>(e.value)).filter((e): e is ReputationEvent => e !== undefined);
  }

  private async retentionLease(): Promise<string> {
    if (!this.lease || Date.now() - this.lease.at > LEASE_ROTATION_MS) this.lease = { id: await this.kv.grantLease(EVENT_RETENTION_MS), at: Date.now() };
    return this.lease.id;
  }
}
