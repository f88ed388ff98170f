/**
 * job-store: jobs, shards, job events, placement explanations and tenants, over Kv (etcd or
 * in-memory). Every change is a compare-and-swap on the mod revisions the writer read, so two
 * writers (two scheduler replicas, a stale agent report) cannot both win.
 *
 * Keys (under the root, /tessera/v1/ by default; keys.ts):
 *   tenants/<id>                 {id, name, createdAtMs}
 *   api-keys/<sha256 of key>     {tenantId, createdAtMs}   (more keys, quotas, usage: tenant-store.ts)
 *   job-specs/<job>              JobSpec, written once
 *   jobs/<job>                   the job's status: state, shard counts, event counter (small; every change rewrites it)
 *   shards/<job>/<index:6>       ShardRecord (the current attempt), written once the shard leaves
 *                                "pending at attempt 1": a submit writes no shard keys
 *   events/<job>/<sequence:12>   JobEventBody + timeMs; the job's counter numbers them, so a
 *                                stream resumes with a range read from its last sequence
 *   explanations/<job>           the latest placement decisions (at most MAX_EXPLANATIONS)
 * Every key of a job hangs on the job's retention lease, so finished jobs vanish on their own.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ResourceExhausted } from '../common/errors.js';
import { newSecret, sha256Hex } from '../common/secrets.js';
import { API_KEY_PREFIX, apiKeyRecordSchema, type Tenant } from '../common/tenant.js';
import {
  emptyCounts,
  jobSpecSchema,
  jobStatusSchema,
  pendingShard,
  shardCountOf,
  shardRecordSchema,
  storedEventSchema,
  storedExplanationSchema,
  type JobEvent,
  type JobEventBody,
  type JobRecord,
  type JobSpec,
  type JobStatus,
  type ShardRecord,
  type StoredExplanation,
} from '../common/job.js';
import { Keys } from './keys.js';
import { decodeEntry, MAX_TXN_BYTES, MAX_TXN_OPS, type DecodeLog, type Kv, type KvCompare, type KvEntry, type KvPut } from './kv.js';

export type { StoredExplanation } from '../common/job.js';

/** MAX_EXPLANATIONS bounds what ExplainPlacement keeps per job. */
export const MAX_EXPLANATIONS = 20;

/** Versioned is a value with the mod revision it was read at, for the next compare (0: not stored yet). */
export interface Versioned<T> {
  key: string;
  value: T;
  modRevision: number;
}

/** Write is one conditional put: `expect` is the mod revision read (0: must not exist). */
export interface Write<T> {
  key: string;
  expect: number;
  value: T;
}

/** JobChange is one transaction on a job: its status, shard transitions, events, and what else it guards. */
export interface JobChange {
  /** The job as read; its status key is always compared and rewritten (counts, event counter). */
  job: Versioned<JobRecord>;
  /** The new status (state, cancel, gang attempt …); counts and eventSeq are computed here. Default: unchanged. */
  next?: JobRecord;
  shards?: Array<{ current: Versioned<ShardRecord>; next: ShardRecord }>;
  events?: JobEventBody[];
  /** Keys read but not written, compared the same way. */
  guards?: KvCompare[];
  /** Writes compared the same way that outlive the job's lease (a tenant's usage counters). */
  durable?: Array<Write<unknown>>;
}

const explanationsSchema = z.array(storedExplanationSchema);

/** JobStore reads and writes jobs on a Kv. */
export class JobStore {
  readonly keys: Keys;

  constructor(
    readonly kv: Kv,
    readonly root?: string,
    private readonly log?: DecodeLog,
  ) {
    this.keys = new Keys(root);
  }

  async createTenant(name: string, nowMs = Date.now()): Promise<{ tenant: Tenant; apiKey: string }> {
    const tenant: Tenant = { id: 't-' + randomBytes(6).toString('hex'), name, createdAtMs: nowMs };
    const apiKey = newSecret(API_KEY_PREFIX);
    const { succeeded } = await this.kv.txn({
      compares: [{ key: this.keys.tenant(tenant.id), modRevision: 0 }],
      puts: [
        { key: this.keys.tenant(tenant.id), value: JSON.stringify(tenant) },
        { key: this.keys.apiKey(sha256Hex(apiKey)), value: JSON.stringify({ tenantId: tenant.id, createdAtMs: nowMs }) },
      ],
    });
    if (!succeeded) throw new Error('tenant id collision; try again');
    return { tenant, apiKey };
  }

  /** tenantOfApiKey resolves an API key to its tenant id. */
  async tenantOfApiKey(apiKey: string): Promise<string | undefined> {
    const entry = await this.kv.get(this.keys.apiKey(sha256Hex(apiKey)));
    return entry && decodeEntry(apiKeyRecordSchema, entry, this.log)?.tenantId;
  }

  /**
   * submit stores a job in ONE transaction — its spec, its status and its first event — so a
   * failed submit leaves nothing behind and a job is visible only whole. No shard key is written:
   * a shard the store has not seen is pending at attempt 1.
   */
  async submit(tenantId: string, spec: JobSpec, options: { nowMs: number; retentionMs: number }): Promise<JobRecord> {
    const lease = await this.kv.grantLease(options.retentionMs);
    const id = 'j-' + randomBytes(8).toString('hex');
    const count = shardCountOf(spec);
    const gang = spec.partition.kind === 'gang';
    const job: JobRecord = {
      id,
      tenantId,
      spec,
      state: 'pending',
      shardCount: count,
      counts: { ...emptyCounts(), pending: count },
      eventSeq: 1,
      cancelRequested: false,
      createdAtMs: options.nowMs,
      lease,
      ...(gang && { gangAttempt: 1 }),
    };
    const event: JobEventBody = { kind: 'job-state', state: 'pending', message: `submitted: ${count} ${gang ? 'ranks (gang)' : 'shards'}` };
    try {
      const { succeeded } = await this.kv.txn({
        compares: [{ key: this.keys.job(id), modRevision: 0 }],
        puts: [
          { key: this.keys.jobSpec(id), value: JSON.stringify(spec), lease },
          { key: this.keys.job(id), value: statusJson(job), lease },
          { key: this.keys.tenantJob(tenantId, options.nowMs, id), value: '', lease },
          { key: this.keys.event(id, 1), value: JSON.stringify({ ...event, timeMs: options.nowMs }), lease },
        ],
      });
      if (!succeeded) throw new Error('job id collision; try again');
    } catch (err) {
      await this.kv.revokeLease(lease);
      if (/request is too large/.test((err as Error).message)) {
        const bytes = Buffer.byteLength(JSON.stringify(spec));
        throw new ResourceExhausted(`the job (${bytes} bytes as stored) is larger than this fleet's etcd accepts in one request (its --max-request-bytes); nothing was stored — make the spec smaller (files and inputs) or ask the operator`, { cause: err });
      }
      throw err;
    }
    return job;
  }

  async getJob(jobId: string): Promise<Versioned<JobRecord> | undefined> {
    const [status, spec] = await Promise.all([this.kv.get(this.keys.job(jobId)), this.kv.get(this.keys.jobSpec(jobId))]);
    return status && spec ? this.decodeJob(status, spec) : undefined;
  }

  /** decodeJob joins a stored status and spec into a job; undefined (logged) when either is corrupt. */
  decodeJob(status: KvEntry, spec: KvEntry): Versioned<JobRecord> | undefined {
    const decodedStatus = this.decodeStatus(status);
    const decodedSpec = this.decodeSpec(spec);
    return decodedStatus && decodedSpec ? { key: status.key, value: { ...decodedStatus, spec: decodedSpec }, modRevision: status.modRevision } : undefined;
  }

  decodeShard = (entry: KvEntry): ShardRecord | undefined => decodeEntry(shardRecordSchema, entry, this.log);
  decodeSpec = (entry: KvEntry): JobSpec | undefined => decodeEntry(jobSpecSchema, entry, this.log);
  decodeStatus = (entry: KvEntry): JobStatus | undefined => decodeEntry(jobStatusSchema, entry, this.log);

  /** getShards reads a job's shards; those never written are reported pending at attempt 1 (mod revision 0). */
  async getShards(job: JobRecord): Promise<Array<Versioned<ShardRecord>>> {
    const { entries } = await this.kv.range(this.keys.shardsPrefix(job.id));
    const stored = new Map<number, Versioned<ShardRecord>>();
    for (const e of entries) {
      const shard = this.decodeShard(e);
      if (shard) stored.set(shard.index, { key: e.key, value: shard, modRevision: e.modRevision });
    }
    return Array.from({ length: job.shardCount }, (_, index) => stored.get(index) ?? { key: this.keys.shard(job.id, index), value: pendingShard(job.id, index), modRevision: 0 });
  }

  /**
   * listJobs pages through a tenant's jobs, newest first, from its index (tenant-jobs/): one
   * range and one multi-get per page; specs are not read — state and counts are on the status.
   * `pageToken` is the `next` of the previous page.
   */
  async listJobs(tenantId: string, options: { limit: number; pageToken?: string }): Promise<{ jobs: Array<JobStatus>; next?: string }> {
    const prefix = this.keys.tenantJobs(tenantId);
    const page = await this.kv.page(prefix, { limit: options.limit, ...(options.pageToken && { after: prefix + options.pageToken }) });
    const statuses = await this.kv.getMany(page.entries.map((e) => this.keys.job(e.key.slice(e.key.lastIndexOf('-j-') + 1))));
    const jobs = statuses.flatMap((entry) => {
      const status = entry && this.decodeStatus(entry);
      return status ? [status] : [];
    });
    const last = page.entries.at(-1);
    return { jobs, ...(page.more && last && { next: last.key.slice(prefix.length) }) };
  }

  /**
   * apply writes a job change in one transaction, only if the job's status — and each shard
   * written and each guard — still has the mod revision its writer read. Counts follow the
   * shard transitions and each event gets the job's next sequence. Returns the new revision and
   * job, or undefined when someone else won. A change that would pass etcd's request limit is
   * refused here, before etcd does: callers split their work below MAX_TXN_BYTES.
   */
  async apply(change: JobChange): Promise<{ revision: number; job: JobRecord } | undefined> {
    const base = change.next ?? change.job.value;
    const counts = { ...change.job.value.counts };
    for (const { current, next } of change.shards ?? []) {
      counts[current.value.state] -= 1;
      counts[next.state] += 1;
    }
    const events = change.events ?? [];
    const job: JobRecord = { ...base, counts, eventSeq: change.job.value.eventSeq + events.length };
    const now = Date.now();
    const { lease } = job;
    const puts: KvPut[] = [
      { key: change.job.key, value: statusJson(job), lease },
      ...(change.shards ?? []).map(({ current, next }) => ({ key: current.key, value: JSON.stringify(next), lease })),
      ...events.map((e, i) => ({ key: this.keys.event(job.id, change.job.value.eventSeq + 1 + i), value: JSON.stringify({ ...e, timeMs: now }), lease })),
      ...(change.durable ?? []).map((w) => ({ key: w.key, value: JSON.stringify(w.value) })),
    ];
    const bytes = puts.reduce((n, p) => n + Buffer.byteLength(p.key) + Buffer.byteLength(p.value), 0);
    if (bytes > MAX_TXN_BYTES || puts.length > MAX_TXN_OPS) throw new Error(`a change of job ${job.id} would write ${bytes} bytes in ${puts.length} operations, over the store's limit of ${MAX_TXN_BYTES} bytes / ${MAX_TXN_OPS} operations`);
    const { succeeded, revision } = await this.kv.txn({
      compares: [
        { key: change.job.key, modRevision: change.job.modRevision },
        ...(change.shards ?? []).map(({ current }) => ({ key: current.key, modRevision: current.modRevision })),
        ...(change.guards ?? []),
        ...(change.durable ?? []).map((w) => ({ key: w.key, modRevision: w.expect })),
      ],
      puts,
    });
    return succeeded ? { revision, job } : undefined;
  }

  /** events reads up to `limit` events after a sequence, in order, starting at that key: no prefix is re-read. */
  async events(jobId: string, afterSequence: number, limit = 256): Promise<{ events: JobEvent[]; revision: number; more: boolean }> {
    const after = afterSequence > 0 ? this.keys.event(jobId, afterSequence) : undefined;
    const page = await this.kv.page(this.keys.events(jobId), { limit, ...(after !== undefined && { after }) });
    return { events: page.entries.map((e) => this.toEvent(jobId, e)).filter((e): e is JobEvent => e !== undefined), revision: page.revision, more: page.more };
  }

  /** watchEvents follows new events of a job after a store revision; `onCancelled` hears a compacted watch (re-read from the last sequence). */
  watchEvents(jobId: string, afterRevision: number, onEvent: (event: JobEvent) => void, onCancelled: (reason: string) => void): Promise<{ stop(): Promise<void> }> {
    return this.kv.watch(this.keys.events(jobId), afterRevision, {
      onEvent: (change) => {
        if (change.type !== 'put' || change.entry.createRevision !== change.entry.modRevision) return;
        const event = this.toEvent(jobId, change.entry);
        if (event) onEvent(event);
      },
      onCancelled,
    });
  }

  async putExplanations(jobId: string, lease: string, decisions: StoredExplanation[]): Promise<void> {
    await this.kv.txn({ puts: [{ key: this.keys.explanations(jobId), value: JSON.stringify(decisions.slice(-MAX_EXPLANATIONS)), lease }] });
  }

  async getExplanations(jobId: string): Promise<StoredExplanation[]> {
    const entry = await this.kv.get(this.keys.explanations(jobId));
    return (entry && decodeEntry(explanationsSchema, entry, this.log)) ?? [];
  }

  private toEvent(jobId: string, entry: KvEntry): JobEvent | undefined {
    const body = decodeEntry(storedEventSchema, entry, this.log);
    const sequence = Number(entry.key.slice(this.keys.events(jobId).length));
    return body && Number.isSafeInteger(sequence) ? { ...body, sequence } : undefined;
  }
}

/** statusJson is the stored status: the job without its spec (the spec has its own key). */
function statusJson(job: JobRecord): string {
  const { spec, ...status } = job;
  return JSON.stringify({ ...status, name: spec.name });
}
