/**
 * Commit benchmarks, on etcd, each beside raw etcd doing the same writes in the same run:
 *
 *   committed placements  the real JobController placing independent jobs' shards — a decision per
 *                         shard, then per 60 shards one transaction comparing the job's status and
 *                         each shard's mod revision (0: never written) and putting the status, the
 *                         shard records and a `placed` event each — against raw etcd3 transactions of
 *                         exactly that shape and size, at the same concurrency: one job (a job's
 *                         commits go in order) against one chain of raw transactions, and four jobs
 *                         at once against four chains in flight
 *   small jobs end to end 1,000 jobs of 4 shards submitted with JobStore.submit, placed, started and
 *                         finished (an AgentLink that reports start and finish back at once), until
 *                         every job succeeded; the baseline replays exactly the writes Tessera made
 *                         (the same transactions, keys, values, compares and lease grants) with the raw
 *                         etcd3 client, at the concurrency Tessera kept on average
 */
import { randomBytes } from 'node:crypto';
import { Etcd3, type ICompare, type IRequestOp } from 'etcd3';
import type { AttemptEnd } from '../src/common/attempt.js';
import { jobSpecSchema, type JobRecord, type JobSpec } from '../src/common/job.js';
import { BATCH_SHARDS } from '../src/scheduler/jobs/attempt-end.js';
import type { AgentLink, JobController } from '../src/scheduler/jobs/controller.js';
import { JobStore } from '../src/store/job-store.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { MemoryKv } from '../src/store/kv-memory.js';
import type { Kv, KvEntry, KvPage, KvTxn, KvWatchHandlers } from '../src/store/kv.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { TopologyView } from '../src/store/topology-view.js';
import { cpuMeter, newController, silent, since, sleep, waitUntil, writeFleet, type CpuSpent } from './common.js';
import { simulatedFleet } from './placement.js';

const TENANT = 't-bench';
const RETENTION_MS = 3_600_000;

/** benchRoot is a fresh key root, so runs and trials never see each other's keys. */
function benchRoot(): string {
  return `/bench-${randomBytes(4).toString('hex')}/v1/`;
}

/** FleetView is a simulated fleet, online, as the controller's topology view sees it (in memory: the topology is not what these benchmarks measure). */
export interface FleetView {
  view: TopologyView;
  ids: string[];
  close(): Promise<void>;
}

/** startFleetView writes `workers` simulated workers into an in-memory topology store and mirrors it. */
export async function startFleetView(workers: number): Promise<FleetView> {
  const store = new TopologyStore(new MemoryKv(), undefined, silent);
  const fleet = simulatedFleet(workers);
  await writeFleet(store, fleet);
  const view = await TopologyView.start(store);
  return {
    view,
    ids: fleet.map((w) => w.id),
    async close() {
      await view.stop();
      await store.kv.close();
    },
  };
}

function independentSpec(shards: number): JobSpec {
  return jobSpecSchema.parse({ name: 'bench', entrypoint: { command: 'true' }, resources: { cpuCores: 1 }, partition: { kind: 'independent', shardCount: shards } });
}

async function dropJobs(kv: Kv, jobs: JobRecord[]): Promise<void> {
  // Every key of a job hangs on its lease: revoking it removes them all.
  for (const job of jobs) await kv.revokeLease(job.lease);
}

/** PlacementRun: placements per second, and the CPU this process and etcd spent on them. */
export interface PlacementRun {
  perSecond: number;
  cpu: CpuSpent;
}

/**
 * controllerPlacementsPerSecond submits `jobsCount` jobs of `shardsPerJob` shards, then starts a
 * controller: its first pass places every shard. The figure is shards over the seconds of the
 * passes that placed them (pass start to the last commit and the explanations written).
 */
export async function controllerPlacementsPerSecond(endpoint: string, etcdPid: number | undefined, fleet: FleetView, jobsCount: number, shardsPerJob: number): Promise<PlacementRun> {
  const kv = new EtcdKv([endpoint]);
  const root = benchRoot();
  const jobs = new JobStore(kv, root);
  const spec = independentSpec(shardsPerJob);
  const submitted = await Promise.all(Array.from({ length: jobsCount }, () => jobs.submit(TENANT, spec, { nowMs: Date.now(), retentionMs: RETENTION_MS })));
  const total = jobsCount * shardsPerJob;
  let placingSeconds = 0;
  let placedBefore = 0;
  let allPlaced = false;
  const controller: JobController = newController({
    jobs,
    kv,
    root,
    topology: fleet.view,
    log: {
      onPass: (seconds) => {
        const placed = submitted.reduce((n, j) => n + (controller.cache.jobs.get(j.id)?.value.counts.placed ?? 0), 0);
        if (placed > placedBefore) placingSeconds += seconds;
        placedBefore = placed;
        if (placed >= total) allPlaced = true;
      },
    },
  });
  let cpu: CpuSpent;
  try {
    // CPU is counted from the controller's start (its mirrors read a store holding only these jobs) to the last placement.
    const spent = cpuMeter(etcdPid);
    await controller.start();
    await waitUntil(() => allPlaced, 300_000, `${total} shards placed`);
    cpu = spent();
  } finally {
    await controller.stop();
    await dropJobs(kv, submitted);
    await kv.close();
  }
  return { perSecond: total / placingSeconds, cpu };
}

/**
 * rawPlacementsPerSecond writes what the controller writes for the same jobs, with the etcd3
 * client alone: per job, a chain of transactions in order (each compares the status at the
 * revision the previous one returned), `jobsCount` chains in flight. Worker ids are taken in
 * turn; nothing is decided.
 */
export async function rawPlacementsPerSecond(endpoint: string, etcdPid: number | undefined, fleet: FleetView, jobsCount: number, shardsPerJob: number): Promise<PlacementRun> {
  const kv = new EtcdKv([endpoint]);
  const client = new Etcd3({ hosts: endpoint });
  const root = benchRoot();
  const store = new JobStore(kv, root);
  const { keys } = store;
  const spec = independentSpec(shardsPerJob);
  const submitted = await Promise.all(Array.from({ length: jobsCount }, () => store.submit(TENANT, spec, { nowMs: Date.now(), retentionMs: RETENTION_MS })));
  const heads = await Promise.all(submitted.map(async (job) => (await kv.get(keys.job(job.id)))!.modRevision));
  let next = 0;
  const chain = async (job: JobRecord, head: number): Promise<void> => {
    let revision = String(head);
    let eventSeq = job.eventSeq;
    let placed = 0;
    const put = (key: string, value: string): IRequestOp => ({ request_put: { key: Buffer.from(key), value: Buffer.from(value), lease: job.lease } });
    for (let i = 0; i < shardsPerJob; i += BATCH_SHARDS) {
      const n = Math.min(BATCH_SHARDS, shardsPerJob - i);
      const now = Date.now();
      placed += n;
      const { spec: jobSpec, ...status } = job;
      const statusValue = JSON.stringify({ ...status, counts: { ...job.counts, pending: shardsPerJob - placed, placed }, eventSeq: eventSeq + n, name: jobSpec.name });
      const shardOps: IRequestOp[] = [];
      const eventOps: IRequestOp[] = [];
      const compare: ICompare[] = [{ key: Buffer.from(keys.job(job.id)), target: 'Mod', result: 'Equal', mod_revision: revision }];
      for (let k = 0; k < n; k++) {
        const index = i + k;
        const workerId = fleet.ids[next++ % fleet.ids.length]!;
        const shard = { jobId: job.id, index, attempt: 1, state: 'placed', workerId, gpuIndices: [], placedAtMs: now };
        compare.push({ key: Buffer.from(keys.shard(job.id, index)), target: 'Mod', result: 'Equal', mod_revision: '0' });
        shardOps.push(put(keys.shard(job.id, index), JSON.stringify(shard)));
        eventOps.push(put(keys.event(job.id, eventSeq + 1 + k), JSON.stringify({ kind: 'shard-state', index, attempt: 1, state: 'placed', workerId, message: `placed on ${workerId}`, timeMs: now })));
      }
      eventSeq += n;
      const response = await client.kv.txn({ compare, success: [put(keys.job(job.id), statusValue), ...shardOps, ...eventOps], failure: [] });
      if (!response.succeeded) throw new Error('raw placement baseline: a compare failed');
      revision = response.header.revision;
    }
  };
  try {
    const spent = cpuMeter(etcdPid);
    const start = process.hrtime.bigint();
    await Promise.all(submitted.map((job, i) => chain(job, heads[i]!)));
    const seconds = since(start);
    return { perSecond: (jobsCount * shardsPerJob) / seconds, cpu: spent() };
  } finally {
    await dropJobs(kv, submitted);
    client.close();
    await kv.close();
  }
}

// ---- small jobs end to end -----------------------------------------------------------

type RecordedOp = { kind: 'txn'; txn: KvTxn; job: string | undefined } | { kind: 'grant'; ttlMs: number; lease?: string; job: string | undefined };

const JOB_ID = /j-[0-9a-f]{16}/;

function jobOf(txn: KvTxn): string | undefined {
  for (const key of [...(txn.puts ?? []).map((p) => p.key), ...(txn.compares ?? []).map((c) => c.key), ...(txn.deletes ?? [])]) {
    const found = JOB_ID.exec(key);
    if (found) return found[0];
  }
  return undefined;
}

/** RecordingKv passes every call to a Kv and records each write (transactions and lease grants) in call order. */
class RecordingKv implements Kv {
  readonly kind: Kv['kind'];
  readonly ops: RecordedOp[] = [];
  /** Seconds spent waiting on writes, summed over every write (in flight at once or not). */
  writeSeconds = 0;
  reads = 0;
  private readonly grants = new Map<string, Extract<RecordedOp, { kind: 'grant' }>>();

  constructor(private readonly inner: Kv) {
    this.kind = inner.kind;
  }

  async txn(txn: KvTxn): Promise<{ succeeded: boolean; revision: number }> {
    const started = performance.now();
    const job = jobOf(txn);
    this.ops.push({ kind: 'txn', txn, job });
    for (const put of txn.puts ?? []) {
      const grant = put.lease === undefined ? undefined : this.grants.get(put.lease);
      if (grant && grant.job === undefined) grant.job = job;
    }
    try {
      return await this.inner.txn(txn);
    } finally {
      this.writeSeconds += (performance.now() - started) / 1000;
    }
  }

  async grantLease(ttlMs: number): Promise<string> {
    const started = performance.now();
    const op: Extract<RecordedOp, { kind: 'grant' }> = { kind: 'grant', ttlMs, job: undefined };
    this.ops.push(op);
    try {
      const lease = await this.inner.grantLease(ttlMs);
      op.lease = lease;
      this.grants.set(lease, op);
      return lease;
    } finally {
      this.writeSeconds += (performance.now() - started) / 1000;
    }
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }
  get(key: string): Promise<KvEntry | undefined> {
    this.reads++;
    return this.inner.get(key);
  }
  range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    this.reads++;
    return this.inner.range(prefix);
  }
  getMany(keys: string[]): Promise<Array<KvEntry | undefined>> {
    this.reads++;
    return this.inner.getMany(keys);
  }
  page(prefix: string, options: { after?: string; limit: number; revision?: number }): Promise<KvPage> {
    this.reads++;
    return this.inner.page(prefix, options);
  }
  watch(prefix: string, afterRevision: number, handlers: KvWatchHandlers): Promise<{ stop(): Promise<void> }> {
    return this.inner.watch(prefix, afterRevision, handlers);
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }
  keepAlive(lease: string): Promise<boolean> {
    return this.inner.keepAlive(lease);
  }
  revokeLease(lease: string): Promise<void> {
    return this.inner.revokeLease(lease);
  }
  leaseRenewedAtMs(lease: string): Promise<number | undefined> {
    return this.inner.leaseRenewedAtMs(lease);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** EndToEndFigures: Tessera's run and the raw replay of its writes. */
export interface EndToEndFigures {
  jobs: number;
  shards: number;
  seconds: number;
  /** Write transactions and lease grants Tessera made, and the reads it made besides. */
  txns: number;
  grants: number;
  reads: number;
  /** Mean writes in flight over Tessera's run (summed write latency / wall time): the replay's lanes. */
  inFlight: number;
  lanes: number;
  rawSeconds: number;
  /** Replayed transactions whose compares failed (0 when the replay is faithful). */
  rawFailed: number;
  /** CPU spent by this process and by etcd: over Tessera's run, and over the replay. */
  cpu: CpuSpent;
  rawCpu: CpuSpent;
}

/** FINISHED: how every attempt ends here — exit 0, a small result, as a quick real shard reports. */
const FINISHED: AttemptEnd = { exitCode: 0, wallMs: 5, peakRssKib: 2048, outputBytes: 0, resultJson: '{"loss":0.25}' };

/**
 * endToEnd submits `jobsCount` jobs of `shardsPerJob` shards from `submitters` concurrent
 * clients to a running controller whose agents report start and finish as soon as they are
 * assigned, and times first submit → every job succeeded. Then it replays the recorded writes.
 */
export async function endToEnd(endpoint: string, etcdPid: number | undefined, fleet: FleetView, jobsCount: number, shardsPerJob: number, submitters: number): Promise<EndToEndFigures> {
  const etcdKv = new EtcdKv([endpoint]);
  const kv = new RecordingKv(etcdKv);
  const root = benchRoot();
  const jobs = new JobStore(kv, root);
  const link: AgentLink = {
    assign: (workerId, job, shard) => {
      const ref = { jobId: job.id, index: shard.index, attempt: shard.attempt };
      setImmediate(() => {
        controller.onStarted(workerId, ref, Date.now());
        setImmediate(() => controller.onFinished(workerId, ref, FINISHED, () => undefined));
      });
      return true;
    },
    cancel: () => true,
    advertiseAddress: () => undefined,
    suspect: () => false,
  };
  const controller: JobController = newController({ jobs, kv, root, topology: fleet.view, link });
  await controller.start();
  kv.ops.length = 0;
  kv.writeSeconds = 0;
  kv.reads = 0;
  const spec = independentSpec(shardsPerJob);
  const submitted: JobRecord[] = [];
  const unfinished = new Set<string>();
  let seconds: number;
  let cpu: CpuSpent;
  try {
    const spent = cpuMeter(etcdPid);
    const start = process.hrtime.bigint();
    let left = jobsCount;
    await Promise.all(
      Array.from({ length: submitters }, async () => {
        while (left > 0) {
          left--;
          const job = await jobs.submit(TENANT, spec, { nowMs: Date.now(), retentionMs: RETENTION_MS });
          submitted.push(job);
          unfinished.add(job.id);
        }
      }),
    );
    await waitUntil(
      () => {
        for (const id of unfinished) {
          const state = controller.cache.status(id)?.state;
          if (state === 'succeeded') unfinished.delete(id);
          else if (state === 'failed' || state === 'cancelled') throw new Error(`bench job ${id} ended ${state}`);
        }
        return unfinished.size === 0;
      },
      600_000,
      `${jobsCount} jobs succeeded`,
      20,
    );
    seconds = since(start);
    cpu = spent();
  } finally {
    await controller.stop();
  }
  const ops = kv.ops.slice();
  const inFlight = kv.writeSeconds / seconds;
  const lanes = Math.max(1, Math.round(inFlight));
  const raw = await replay(endpoint, etcdPid, ops, root, lanes);
  await dropJobs(etcdKv, submitted);
  await deletePrefix(endpoint, root);
  await etcdKv.close();
  return {
    jobs: jobsCount,
    shards: jobsCount * shardsPerJob,
    seconds,
    txns: ops.filter((o) => o.kind === 'txn').length,
    grants: ops.filter((o) => o.kind === 'grant').length,
    reads: kv.reads,
    inFlight,
    lanes,
    rawSeconds: raw.seconds,
    rawFailed: raw.failed,
    cpu,
    rawCpu: raw.cpu,
  };
}

async function deletePrefix(endpoint: string, prefix: string): Promise<void> {
  const client = new Etcd3({ hosts: endpoint });
  await client.delete().prefix(prefix);
  client.close();
}

/**
 * replay sends the recorded writes again under a fresh root with the etcd3 client alone, in
 * `lanes` lanes in flight: each job's writes in one lane, in the order Tessera sent them, each
 * compare against the revision the lane last wrote that key at (so every compare holds, as
 * Tessera's did). Keys shared by jobs (the tenant's usage counter) get one copy per lane.
 */
async function replay(endpoint: string, etcdPid: number | undefined, ops: RecordedOp[], fromRoot: string, lanes: number): Promise<{ seconds: number; failed: number; cpu: CpuSpent }> {
  const client = new Etcd3({ hosts: endpoint });
  const toRoot = benchRoot();
  const perLane: RecordedOp[][] = Array.from({ length: lanes }, () => []);
  const laneOf = new Map<string, number>();
  for (const op of ops) {
    let lane = 0;
    if (op.job !== undefined) {
      lane = laneOf.get(op.job) ?? laneOf.size % lanes;
      laneOf.set(op.job, lane);
    }
    perLane[lane]!.push(op);
  }
  const rekey = (key: string, lane: number): string => {
    const rest = key.startsWith(fromRoot) ? key.slice(fromRoot.length) : key;
    return JOB_ID.test(rest) ? toRoot + rest : `${toRoot}lane-${lane}/${rest}`;
  };
  const leases = new Map<string, string>();
  let failed = 0;
  const runLane = async (lane: number): Promise<void> => {
    const revisions = new Map<string, string>();
    for (const op of perLane[lane]!) {
      if (op.kind === 'grant') {
        const granted = await client.leaseClient.leaseGrant({ TTL: Math.max(1, Math.ceil(op.ttlMs / 1000)), ID: 0 });
        if (op.lease !== undefined) leases.set(op.lease, String(granted.ID));
        continue;
      }
      const { compares = [], puts = [], deletes = [] } = op.txn;
      const compare: ICompare[] = compares.map((c) => {
        const key = rekey(c.key, lane);
        return { key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: revisions.get(key) ?? '0' };
      });
      const success: IRequestOp[] = [
        ...puts.map((p) => {
          const lease = p.lease === undefined ? undefined : leases.get(p.lease);
          return { request_put: { key: Buffer.from(rekey(p.key, lane)), value: Buffer.from(p.value), ...(lease !== undefined && { lease }) } };
        }),
        ...deletes.map((key) => ({ request_delete_range: { key: Buffer.from(rekey(key, lane)) } })),
      ];
      const response = await client.kv.txn({ compare, success, failure: [] });
      if (!response.succeeded) {
        failed++;
        continue;
      }
      for (const p of puts) revisions.set(rekey(p.key, lane), response.header.revision);
      for (const key of deletes) revisions.delete(rekey(key, lane));
    }
  };
  try {
    const spent = cpuMeter(etcdPid);
    const start = process.hrtime.bigint();
    await Promise.all(perLane.map((_, lane) => runLane(lane)));
    const seconds = since(start);
    return { seconds, failed, cpu: spent() };
  } finally {
    for (const lease of leases.values()) await client.leaseClient.leaseRevoke({ ID: lease }).catch(() => undefined);
    await client.delete().prefix(toRoot);
    client.close();
    // Let revoked leases' deletes settle before the next measurement.
    await sleep(200);
  }
}
