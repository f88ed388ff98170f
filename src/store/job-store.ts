/**
 * job-store: jobs, shards, job events, placement explanations and tenants, over Kv (etcd or
 * in-memory). Every change is a compare-and-swap on the mod revisions the writer read, so two
 * writers (two scheduler replicas, a stale agent report) cannot both win. A job's event
 * sequence is the etcd revision that created the event key: increasing, resumable, free.
 *
 * Keys (under the root, /tessera/v1/ by default):
 *   tenants/<id>                 {id, name, createdAtMs}
 *   api-keys/<sha256 of key>     {tenantId, createdAtMs}   (more keys, quotas, usage: tenant-store.ts)
 *   jobs/<job>                   JobRecord
 *   shards/<job>/<index:6>       ShardRecord (the current attempt)
 *   events/<job>/<time>-<rand>   JobEventBody (+ timeMs)
 *   explanations/<job>           the latest placement decisions (at most MAX_EXPLANATIONS)
 * Every key of a job hangs on the job's retention lease, so finished jobs vanish on their own.
 */
import { randomBytes } from 'node:crypto';
import { newSecret, sha256Hex } from '../common/secrets.js';
import { shardCountOf, type JobEvent, type JobEventBody, type JobRecord, type JobSpec, type ShardRecord, type StoredExplanation } from '../common/job.js';

export type { StoredExplanation } from '../common/job.js';
import { MAX_TXN_OPS, parseJson, type Kv, type KvEntry, type KvPut } from './kv.js';
import { DEFAULT_ROOT } from './keys.js';

/** API_KEY_PREFIX marks tenant API keys. */
export const API_KEY_PREFIX = 'tsk_';
/** MAX_EXPLANATIONS bounds what ExplainPlacement keeps per job. */
export const MAX_EXPLANATIONS = 20;
/** SHARD_BATCH: shards written per transaction at submit, under etcd's 128 ops per txn. */
const SHARD_BATCH = MAX_TXN_OPS - 8;

/** Versioned is a value with the mod revision it was read at, for the next compare. */
export interface Versioned<T> {
  key: string;
  value: T;
  modRevision: number;
}

/** Tenant is one customer account. */
export interface Tenant {
  id: string;
  name: string;
  createdAtMs: number;
}

/** Write is one conditional put: `expect` is the mod revision read (0: must not exist). */
export interface Write<T> {
  key: string;
  expect: number;
  value: T;
}

function decode<T>(entry: KvEntry): Versioned<T> | undefined {
  const value = parseJson<T>(entry.value);
  return value === undefined ? undefined : { key: entry.key, value, modRevision: entry.modRevision };
}

/** JobStore reads and writes jobs on a Kv. */
export class JobStore {
  constructor(
    readonly kv: Kv,
    readonly root: string = DEFAULT_ROOT,
  ) {}

  jobKey(jobId: string): string {
    return `${this.root}jobs/${jobId}`;
  }
  shardKey(jobId: string, index: number): string {
    return `${this.root}shards/${jobId}/${String(index).padStart(6, '0')}`;
  }
  shardsPrefix(jobId?: string): string {
    return `${this.root}shards/${jobId ? `${jobId}/` : ''}`;
  }
  jobsPrefix(): string {
    return `${this.root}jobs/`;
  }
  eventsPrefix(jobId: string): string {
    return `${this.root}events/${jobId}/`;
  }
  private explanationKey(jobId: string): string {
    return `${this.root}explanations/${jobId}`;
  }

  async createTenant(name: string, nowMs = Date.now()): Promise<{ tenant: Tenant; apiKey: string }> {
    const tenant: Tenant = { id: 't-' + randomBytes(6).toString('hex'), name, createdAtMs: nowMs };
    const apiKey = newSecret(API_KEY_PREFIX);
    const { succeeded } = await this.kv.txn({
      compares: [{ key: `${this.root}tenants/${tenant.id}`, modRevision: 0 }],
      puts: [
        { key: `${this.root}tenants/${tenant.id}`, value: JSON.stringify(tenant) },
        { key: `${this.root}api-keys/${sha256Hex(apiKey)}`, value: JSON.stringify({ tenantId: tenant.id, createdAtMs: nowMs }) },
      ],
    });
    if (!succeeded) throw new Error('tenant id collision; try again');
    return { tenant, apiKey };
  }

  /** tenantOfApiKey resolves an API key to its tenant id. */
  async tenantOfApiKey(apiKey: string): Promise<string | undefined> {
    const entry = await this.kv.get(`${this.root}api-keys/${sha256Hex(apiKey)}`);
    return entry && decode<{ tenantId: string }>(entry)?.value.tenantId;
  }

  /** submit stores shards (in batches), then the job record with its first event; the job is visible only once complete. */
  async submit(tenantId: string, spec: JobSpec, options: { nowMs: number; retentionMs: number }): Promise<JobRecord> {
    const lease = await this.kv.grantLease(options.retentionMs);
    const id = 'j-' + randomBytes(8).toString('hex');
    const count = shardCountOf(spec);
    const gang = spec.partition.kind === 'gang';
    for (let start = 0; start < count; start += SHARD_BATCH) {
      const puts: KvPut[] = [];
      for (let index = start; index < Math.min(count, start + SHARD_BATCH); index++) {
        const shard: ShardRecord = { jobId: id, index, attempt: 1, state: 'pending' };
        puts.push({ key: this.shardKey(id, index), value: JSON.stringify(shard), lease });
      }
      await this.kv.txn({ puts });
    }
    const job: JobRecord = { id, tenantId, spec, state: 'pending', shardCount: count, cancelRequested: false, createdAtMs: options.nowMs, lease, ...(gang && { gangAttempt: 1 }) };
    const ok = await this.apply([{ key: this.jobKey(id), expect: 0, value: job }], [{ kind: 'job-state', state: 'pending', message: `submitted: ${count} ${gang ? 'ranks (gang)' : 'shards'}` }], id, lease);
    if (ok === undefined) throw new Error('job id collision; try again');
    return job;
  }

  async getJob(jobId: string): Promise<Versioned<JobRecord> | undefined> {
    const entry = await this.kv.get(this.jobKey(jobId));
    return entry && decode<JobRecord>(entry);
  }

  async getShards(jobId: string): Promise<Array<Versioned<ShardRecord>>> {
    const { entries } = await this.kv.range(this.shardsPrefix(jobId));
    return entries.map((e) => decode<ShardRecord>(e)).filter((v): v is Versioned<ShardRecord> => v !== undefined);
  }

  async listJobs(tenantId?: string): Promise<JobRecord[]> {
    const { entries } = await this.kv.range(this.jobsPrefix());
    return entries
      .map((e) => decode<JobRecord>(e)?.value)
      .filter((j): j is JobRecord => j !== undefined && (tenantId === undefined || j.tenantId === tenantId))
      .sort((a, b) => b.createdAtMs - a.createdAtMs);
  }

  /**
   * apply writes every change and appends `events` (to `jobId`'s stream) in one transaction,
   * only if each written key — and each `guards` key, read but not written — still has the mod
   * revision its writer read. Returns the new revision (the mod revision of every written key),
   * or undefined when someone else won. `durable` writes are compared the same way but outlive
   * the job's lease (a tenant's usage counters, metered as its attempts end).
   */
  async apply(writes: Array<Write<unknown>>, events: JobEventBody[], jobId: string, lease: string, guards: Array<{ key: string; modRevision: number }> = [], durable: Array<Write<unknown>> = []): Promise<number | undefined> {
    const now = Date.now();
    const { succeeded, revision } = await this.kv.txn({
      compares: [...writes.map((w) => ({ key: w.key, modRevision: w.expect })), ...guards, ...durable.map((w) => ({ key: w.key, modRevision: w.expect }))],
      puts: [
        ...writes.map((w) => ({ key: w.key, value: JSON.stringify(w.value), lease })),
        ...durable.map((w) => ({ key: w.key, value: JSON.stringify(w.value) })),
        ...events.map((e, i) => ({ key: `${this.eventsPrefix(jobId)}${String(now).padStart(15, '0')}-${String(i).padStart(4, '0')}-${randomBytes(3).toString('hex')}`, value: JSON.stringify({ ...e, timeMs: now }), lease })),
      ],
    });
    return succeeded ? revision : undefined;
  }

  /** events reads a job's events after a sequence, in order. */
  async events(jobId: string, afterSequence: number): Promise<{ events: JobEvent[]; revision: number }> {
    const { entries, revision } = await this.kv.range(this.eventsPrefix(jobId));
    const events = entries
      .map((e) => toEvent(e))
      .filter((e): e is JobEvent => e !== undefined && e.sequence > afterSequence)
      .sort((a, b) => a.sequence - b.sequence);
    return { events, revision };
  }

  /** watchEvents follows new events of a job after a store revision. */
  watchEvents(jobId: string, afterRevision: number, onEvent: (event: JobEvent) => void): Promise<{ stop(): Promise<void> }> {
    return this.kv.watch(this.eventsPrefix(jobId), afterRevision, (change) => {
      if (change.type !== 'put' || change.entry.createRevision !== change.entry.modRevision) return;
      const event = toEvent(change.entry);
      if (event) onEvent(event);
    });
  }

  async putExplanations(jobId: string, lease: string, decisions: StoredExplanation[]): Promise<void> {
    await this.kv.txn({ puts: [{ key: this.explanationKey(jobId), value: JSON.stringify(decisions.slice(-MAX_EXPLANATIONS)), lease }] });
  }

  async getExplanations(jobId: string): Promise<StoredExplanation[]> {
    const entry = await this.kv.get(this.explanationKey(jobId));
    return (entry && decode<StoredExplanation[]>(entry)?.value) ?? [];
  }
}

/**
 * EVENTS_PER_TXN_SLOT: one transaction may append several events; they share its revision, so a
 * sequence is revision × 10,000 + the event's position in the transaction (from its key).
 */
const EVENTS_PER_TXN_SLOT = 10_000;

function toEvent(entry: KvEntry): JobEvent | undefined {
  const body = parseJson<JobEventBody & { timeMs: number }>(entry.value);
  if (body === undefined) return undefined;
  const position = Number(/-(\d{4})-[0-9a-f]+$/.exec(entry.key)?.[1] ?? 0);
  return { ...body, sequence: entry.createRevision * EVENTS_PER_TXN_SLOT + position };
}
