/**
 * keys: Tessera's whole key layout in etcd (docs/store.md). Everything lives under one root, by
 * default /tessera/v1/, so an operator can read the fleet with `etcdctl get --prefix /tessera/v1/`.
 * Every store builds its keys here and nowhere else.
 */
import { createHash } from 'node:crypto';
import { dayOf } from '../common/reputation.js';

/** DEFAULT_ROOT is the key prefix of a production fleet. */
export const DEFAULT_ROOT = '/tessera/v1/';

/** Keys builds every key a Tessera store reads or writes. */
export class Keys {
  constructor(readonly root: string = DEFAULT_ROOT) {
    if (!root.endsWith('/')) throw new Error(`store root must end with "/": ${root}`);
  }

  // ---- topology -----------------------------------------------------------------------
  /** workers/<id>: the durable registration (WorkerRecord). */
  get workersPrefix(): string {
    return `${this.root}workers/`;
  }
  worker(id: string): string {
    return this.workersPrefix + id;
  }
  /** live/<id>: present only while the worker's lease lives (LiveRecord). */
  get livePrefix(): string {
    return `${this.root}live/`;
  }
  live(id: string): string {
    return this.livePrefix + id;
  }
  /** credentials/<id>: SHA-256 of the worker's secret. */
  credential(id: string): string {
    return `${this.root}credentials/${id}`;
  }
  /** pki/ca.crt: the fleet CA's certificate (PEM), published by schedulers that serve TLS. */
  get caCertificate(): string {
    return `${this.root}pki/ca.crt`;
  }
  /** join-tokens/<sha256>: uses left and expiry of a join token (the token itself is never stored). */
  get joinTokensPrefix(): string {
    return `${this.root}join-tokens/`;
  }
  joinToken(hash: string): string {
    return this.joinTokensPrefix + hash;
  }

  // ---- jobs ---------------------------------------------------------------------------
  /** jobs/<job>: JobRecord. */
  get jobsPrefix(): string {
    return `${this.root}jobs/`;
  }
  job(jobId: string): string {
    return this.jobsPrefix + jobId;
  }
  /** tenant-jobs/<tenant>/<inverted ms:15>-<job>: a tenant's jobs, newest first (ListJobs pages it). */
  tenantJobs(tenantId: string): string {
    return `${this.root}tenant-jobs/${tenantId}/`;
  }
  tenantJob(tenantId: string, createdAtMs: number, jobId: string): string {
    return `${this.tenantJobs(tenantId)}${String(999_999_999_999_999 - createdAtMs).padStart(15, '0')}-${jobId}`;
  }
  /** job-specs/<job>: the JobSpec, written once at submit. */
  get jobSpecsPrefix(): string {
    return `${this.root}job-specs/`;
  }
  jobSpec(jobId: string): string {
    return this.jobSpecsPrefix + jobId;
  }
  /** shards/<job>/<index:6>: ShardRecord, written once a shard leaves "pending at attempt 1". */
  shardsPrefix(jobId?: string): string {
    return `${this.root}shards/${jobId ? `${jobId}/` : ''}`;
  }
  shard(jobId: string, index: number): string {
    return `${this.shardsPrefix(jobId)}${String(index).padStart(6, '0')}`;
  }
  /** events/<job>/<sequence:12>: JobEventBody + timeMs; the sequence is the job's event counter. */
  events(jobId: string): string {
    return `${this.root}events/${jobId}/`;
  }
  event(jobId: string, sequence: number): string {
    return this.events(jobId) + String(sequence).padStart(12, '0');
  }
  /** explanations/<job>: the latest placement decisions. */
  explanations(jobId: string): string {
    return `${this.root}explanations/${jobId}`;
  }

  // ---- tenants ------------------------------------------------------------------------
  get tenantsPrefix(): string {
    return `${this.root}tenants/`;
  }
  tenant(tenantId: string): string {
    return this.tenantsPrefix + tenantId;
  }
  /** api-keys/<sha256 of key>: {tenantId, createdAtMs}; deleting it revokes the key. */
  get apiKeysPrefix(): string {
    return `${this.root}api-keys/`;
  }
  apiKey(hash: string): string {
    return this.apiKeysPrefix + hash;
  }
  get quotasPrefix(): string {
    return `${this.root}tenant-quotas/`;
  }
  quota(tenantId: string): string {
    return this.quotasPrefix + tenantId;
  }
  usagePrefix(tenantId: string): string {
    return `${this.root}usage/${tenantId}/`;
  }
  usage(tenantId: string, day: string): string {
    return this.usagePrefix(tenantId) + day;
  }

  // ---- trust --------------------------------------------------------------------------
  get trustPrefix(): string {
    return `${this.root}trust/`;
  }
  trust(workerId: string): string {
    return this.trustPrefix + workerId;
  }
  /** reputation/<worker>/<day>/<ms:15>-<rand>: ReputationEvent, by UTC day so one day is one range read. */
  reputationEvents(workerId: string): string {
    return `${this.root}reputation/${workerId}/`;
  }
  reputationEventsOfDay(workerId: string, day: string): string {
    return `${this.reputationEvents(workerId)}${day}/`;
  }
  reputationEvent(workerId: string, atMs: number, nonce: string): string {
    return `${this.reputationEventsOfDay(workerId, dayOf(atMs))}${String(atMs).padStart(15, '0')}-${nonce}`;
  }
  /** reputation-days/<worker>/<day>: DayRollup. */
  reputationDays(workerId: string): string {
    return `${this.root}reputation-days/${workerId}/`;
  }
  reputationDay(workerId: string, day: string): string {
    return this.reputationDays(workerId) + day;
  }
  /** device-ids/<kind>/<sha256(id)>: the first worker whose GPU with that id passed a challenge. */
  deviceId(kind: 'uuid' | 'serial', id: string): string {
    return `${this.root}device-ids/${kind}/${createHash('sha256').update(id).digest('hex')}`;
  }
}
