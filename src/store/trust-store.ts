/**
 * trust-store: trust records and each worker's reputation event log, over Kv (etcd or memory).
 *
 *   trust/<worker>                   TrustRecord (written only when it changes)
 *   reputation/<worker>/<day>/<ms>-<rand>
 *                                    ReputationEvent, on a retention lease (8 days), keyed by UTC
 *                                    day so one day's events are one range read
 *   reputation-days/<worker>/<day>   DayRollup folded from that day's events once it ended, on a
 *                                    32-day lease: at most 32 per worker, enough for 30-day windows
 *   device-ids/<kind>/<sha256(id)>   DeviceIdHolder: the first worker whose GPU with that UUID or
 *                                    serial passed a challenge, kept for good (one key per proven id)
 *
 * Keys come from Keys; every value is decoded through its schema, and a corrupt one is logged
 * and skipped (a worker whose trust record cannot be read counts as unverified).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { dayOf, dayRollupSchema, dayStart, foldDay, reputationEventSchema, ROLLUP_RETENTION_DAYS, type DayRollup, type ReputationEvent, type ReputationInputs } from '../common/reputation.js';
import { trustRecordSchema, type TrustRecord } from '../common/trust.js';
import { decodeEntry, type DecodeLog, type Kv, type KvEntry } from './kv.js';
import { DEFAULT_ROOT, Keys } from './keys.js';

/** EVENT_RETENTION_MS: raw events for a week and a day: long enough to rebuild a missed rollup or audit a week. */
export const EVENT_RETENTION_MS = 8 * 86_400_000;
/** REBUILD_DAYS: finished days without a rollup are folded from events this far back (events are kept 8 days). */
const REBUILD_DAYS = 7;
/** ROLLUP_RETENTION_MS: rollups outlive the 30-day window by two days. */
const ROLLUP_RETENTION_MS = ROLLUP_RETENTION_DAYS * 86_400_000;
/** LEASE_ROTATION_MS: a new retention lease each day, so no event outlives the window by more than a day. */
const LEASE_ROTATION_MS = 86_400_000;

/** DeviceIdHolder records who first reported a device id, and when. */
export interface DeviceIdHolder {
  kind: 'uuid' | 'serial';
  id: string;
  workerId: string;
  firstSeenAtMs: number;
}

export const deviceIdHolderSchema: z.ZodType<DeviceIdHolder, z.ZodTypeDef, unknown> = z.object({
  kind: z.enum(['uuid', 'serial']),
  id: z.string(),
  workerId: z.string().min(1),
  firstSeenAtMs: z.number(),
});

export class TrustStore {
  readonly keys: Keys;
  private lease: { id: string; at: number } | undefined;
  private rollupLease: { id: string; at: number } | undefined;

  constructor(
    readonly kv: Kv,
    readonly root: string = DEFAULT_ROOT,
    /** Where corrupt stored values are reported (the server's logger); silent without one. */
    private readonly log?: DecodeLog,
  ) {
    this.keys = new Keys(root);
  }

  trustKey(workerId: string): string {
    return this.keys.trust(workerId);
  }
  trustPrefix(): string {
    return this.keys.trustPrefix;
  }
  eventsPrefix(workerId: string): string {
    return this.keys.reputationEvents(workerId);
  }
  deviceIdKey(kind: 'uuid' | 'serial', id: string): string {
    return this.keys.deviceId(kind, id);
  }
  rollupsPrefix(workerId: string): string {
    return this.keys.reputationDays(workerId);
  }

  /** decodeTrust reads one trust/<worker> value, for readers that range or watch the prefix themselves. */
  decodeTrust = (entry: KvEntry): TrustRecord | undefined => decodeEntry(trustRecordSchema, entry, this.log);

  private decodeEvents(entries: KvEntry[]): ReputationEvent[] {
    return entries.map((e) => decodeEntry(reputationEventSchema, e, this.log)).filter((e): e is ReputationEvent => e !== undefined);
  }

  async get(workerId: string): Promise<{ record: TrustRecord; modRevision: number } | undefined> {
    const entry = await this.kv.get(this.trustKey(workerId));
    const record = entry && this.decodeTrust(entry);
    return record && { record, modRevision: entry.modRevision };
  }

  /** put writes a record if it is still at `expect` (0: new); the new revision, or undefined when someone else changed it. */
  async put(record: TrustRecord, expect: number): Promise<number | undefined> {
    const result = await this.kv.txn({ compares: [{ key: this.trustKey(record.workerId), modRevision: expect }], puts: [{ key: this.trustKey(record.workerId), value: JSON.stringify(record) }] });
    return result.succeeded ? result.revision : undefined;
  }

  async list(): Promise<{ records: TrustRecord[]; revision: number }> {
    const { entries, revision } = await this.kv.range(this.trustPrefix());
    return { records: entries.map(this.decodeTrust).filter((r): r is TrustRecord => r !== undefined), revision };
  }

  async append(workerId: string, event: ReputationEvent): Promise<void> {
    const lease = await this.retentionLease();
    const key = this.keys.reputationEvent(workerId, event.atMs, randomBytes(3).toString('hex'));
    await this.kv.txn({ puts: [{ key, value: JSON.stringify(event), lease }] });
  }

  /** rollups lists a worker's day rollups (at most 32), oldest first. */
  async rollups(workerId: string): Promise<DayRollup[]> {
    const { entries } = await this.kv.range(this.rollupsPrefix(workerId));
    return entries.map((e) => decodeEntry(dayRollupSchema, e, this.log)).filter((r): r is DayRollup => r !== undefined);
  }

  /** eventsOfDay reads one UTC day of a worker's events (one range read, bounded by a day). */
  async eventsOfDay(workerId: string, day: string): Promise<ReputationEvent[]> {
    const { entries } = await this.kv.range(this.keys.reputationEventsOfDay(workerId, day));
    return this.decodeEvents(entries);
  }

  /**
   * rollUp folds a finished day's events into its rollup, unless it exists (a rollup is written
   * once: replicas racing write the same fold, and the first wins).
   */
  private async rollUp(workerId: string, day: string, previous: DayRollup | undefined): Promise<DayRollup> {
    const key = this.keys.reputationDay(workerId, day);
    const rollup = foldDay(day, previous, await this.eventsOfDay(workerId, day));
    const lease = await this.rollupRetentionLease();
    const { succeeded } = await this.kv.txn({ compares: [{ key, modRevision: 0 }], puts: [{ key, value: JSON.stringify(rollup), lease }] });
    if (succeeded) return rollup;
    const existing = await this.kv.get(key);
    return (existing && decodeEntry(dayRollupSchema, existing, this.log)) ?? rollup;
  }

  /** rollUpMissingDays writes the rollup of every finished day of the last week (since the join) that has none. */
  async rollUpMissingDays(workerId: string, joinedAtMs: number, nowMs: number): Promise<void> {
    await this.finishedDays(workerId, joinedAtMs, nowMs, (day, previous) => this.rollUp(workerId, day, previous));
  }

  /**
   * finishedDays returns the stored rollups with every finished day of the last week since the
   * join that has none filled in by `missing`, in day order so each knows the day before it.
   */
  private async finishedDays(workerId: string, joinedAtMs: number, asOfMs: number, missing: (day: string, previous: DayRollup | undefined) => Promise<DayRollup>): Promise<DayRollup[]> {
    const stored = new Map((await this.rollups(workerId)).map((r) => [r.day, r]));
    const today = dayOf(asOfMs);
    const firstDay = dayOf(Math.max(joinedAtMs, asOfMs - REBUILD_DAYS * 86_400_000));
    let previous = stored.get(dayOf(dayStart(firstDay) - 86_400_000));
    for (let t = dayStart(firstDay); dayOf(t) < today; t += 86_400_000) {
      const day = dayOf(t);
      const rollup = stored.get(day) ?? (await missing(day, previous));
      stored.set(day, rollup);
      previous = rollup;
    }
    return [...stored.values()];
  }

  /**
   * claimDeviceId records `workerId` as the holder of a device id unless someone holds it already
   * (one create-if-absent transaction); returns the holder, first or earlier.
   */
  async claimDeviceId(kind: 'uuid' | 'serial', id: string, workerId: string, atMs: number): Promise<DeviceIdHolder> {
    const key = this.deviceIdKey(kind, id);
    const mine: DeviceIdHolder = { kind, id, workerId, firstSeenAtMs: atMs };
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.kv.txn({ compares: [{ key, modRevision: 0 }], puts: [{ key, value: JSON.stringify(mine) }] });
      if (result.succeeded) return mine;
      const existing = await this.kv.get(key);
      const holder = existing && decodeEntry(deviceIdHolderSchema, existing, this.log);
      if (holder) return holder;
    }
    throw new Error(`device id ${kind} ${id}: could not read or record its holder`);
  }

  /**
   * reputationInputs gathers what computeReputation needs as of an instant: the stored rollups,
   * any finished day of the last week not rolled up yet (folded here from its events, in memory),
   * and the events of the instant's day. The API and the CLI both call this.
   */
  async reputationInputs(workerId: string, joinedAtMs: number, asOfMs: number): Promise<ReputationInputs> {
    const rollups = await this.finishedDays(workerId, joinedAtMs, asOfMs, async (day, previous) => foldDay(day, previous, await this.eventsOfDay(workerId, day)));
    return { rollups, today: await this.eventsOfDay(workerId, dayOf(asOfMs)), joinedAtMs, asOfMs };
  }

  /** deviceIdHolder is who first proved a device id, if anyone did. */
  async deviceIdHolder(kind: 'uuid' | 'serial', id: string): Promise<DeviceIdHolder | undefined> {
    const entry = await this.kv.get(this.deviceIdKey(kind, id));
    return entry && decodeEntry(deviceIdHolderSchema, entry, this.log);
  }

  /** events lists a worker's retained events (up to 8 days), oldest first: for audits and exports. */
  async events(workerId: string): Promise<ReputationEvent[]> {
    const { entries } = await this.kv.range(this.eventsPrefix(workerId));
    return this.decodeEvents(entries);
  }

  private async rollupRetentionLease(): Promise<string> {
    if (!this.rollupLease || Date.now() - this.rollupLease.at > LEASE_ROTATION_MS) this.rollupLease = { id: await this.kv.grantLease(ROLLUP_RETENTION_MS), at: Date.now() };
    return this.rollupLease.id;
  }

  private async retentionLease(): Promise<string> {
    if (!this.lease || Date.now() - this.lease.at > LEASE_ROTATION_MS) this.lease = { id: await this.kv.grantLease(EVENT_RETENTION_MS), at: Date.now() };
    return this.lease.id;
  }
}
