/**
 * Restart benchmark: a scheduler starting on a store that already holds a fleet, live jobs and
 * finished jobs with their results — the time until startScheduler resolves (it awaits every
 * mirror: topology, trust, quotas, and the job cache's job-specs/, jobs/ and shards/), and the
 * heap it peaked at meanwhile. Baseline: the same prefixes read with the etcd3 client alone in
 * 1,000-key pages, not decoded.
 *
 * (EtcdKv pages without a sort order: with one, etcd ignores a range's limit — it reads every key
 * to the end of the range, sorts and truncates — and a mirror's first read was quadratic in the
 * keys under it: 39.9 s at this bench's default scale before the fix, 7.2 s after.)
 *
 * The store: `shards` shards in jobs of 1,000; nine jobs in ten succeeded, each shard with a
 * result (its record holds it, and so does its shard-result event, as the controller writes
 * them), `resultBytes` in all; the rest are running. A private etcd with a quota that holds it.
 */
import { randomBytes } from 'node:crypto';
import { Etcd3, type IRequestOp } from 'etcd3';
import { jobSpecSchema, type JobRecord } from '../src/common/job.js';
import { parseSchedulerConfig } from '../src/scheduler/config.js';
import { startScheduler } from '../src/scheduler/scheduler.js';
import { startEtcdServer } from '../src/store/etcd-server.js';
import { JobStore } from '../src/store/job-store.js';
import { Keys } from '../src/store/keys.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { gc, median, silent, since, writeFleet } from './common.js';
import { simulatedFleet } from './placement.js';

const GiB = 1024 ** 3;
const JOB_SHARDS = 1_000;
/** TXN_BYTES: what one setup transaction carries at most (etcd refuses requests over 1.5 MiB). */
const TXN_BYTES = 900_000;

/** RestartFigures: the store, and medians over the trials. */
export interface RestartFigures {
  shards: number;
  resultBytes: number;
  workers: number;
  storedMiB: number;
  setupSeconds: number;
  /** startScheduler until it resolves. */
  seconds: number;
  rawSeconds: number;
  /** Heap growth at its peak while the scheduler started, and what stayed after a full GC, MiB. */
  peakHeapMiB: number;
  retainedHeapMiB: number;
  trials: number;
}


/** quotaFor: room for the results twice (records and events), everything else, and bbolt's slack. */
export function quotaFor(resultBytes: number): number {
  return Math.min(8 * GiB, Math.max(2 * GiB, GiB + 3 * resultBytes));
}

async function fill(endpoint: string, root: string, shards: number, resultBytes: number, workers: number): Promise<number> {
  const kv = new EtcdKv([endpoint]);
  const client = new Etcd3({ hosts: endpoint });
  const jobs = new JobStore(kv, root);
  const keys = new Keys(root);
  const fleet = simulatedFleet(workers);
  let stored = 0;
  try {
    await writeFleet(new TopologyStore(kv, root, silent), fleet);
    const jobCount = Math.ceil(shards / JOB_SHARDS);
    const finishedJobs = Math.max(1, Math.floor(jobCount * 0.9));
    const finishedShards = Math.min(shards, finishedJobs * JOB_SHARDS);
    const resultSize = Math.max(16, Math.floor(resultBytes / Math.max(1, finishedShards)));
    const noise = randomBytes(Math.ceil((resultSize + 4096) * 0.75)).toString('base64');
    const inFlight = new Set<Promise<void>>();
    const send = async (success: IRequestOp[]): Promise<void> => {
      const write = client.kv.txn({ compare: [], success, failure: [] }).then(() => undefined);
      inFlight.add(write);
      void write.finally(() => inFlight.delete(write));
      if (inFlight.size >= 4) await Promise.race(inFlight);
    };
    let written = 0;
    for (let j = 0; j < jobCount; j++) {
      const count = Math.min(JOB_SHARDS, shards - written);
      const finished = j < finishedJobs;
      const spec = jobSpecSchema.parse({ name: `job-${j}`, entrypoint: { command: 'python3', args: ['eval.py', '--split', String(j)] }, resources: { cpuCores: 2, gpuCount: 1 }, partition: { kind: 'independent', shardCount: count } });
      const job: JobRecord = await jobs.submit('t-bench', spec, { nowMs: Date.now() - 3_600_000, retentionMs: 14 * 86_400_000 });
      const put = (key: string, value: string): IRequestOp => {
        stored += key.length + value.length;
        return { request_put: { key: Buffer.from(key), value: Buffer.from(value), lease: job.lease } };
      };
      let ops: IRequestOp[] = [];
      let bytes = 0;
      let sequence = job.eventSeq;
      const now = Date.now();
      for (let index = 0; index < count; index++) {
        const workerId = fleet[(j * JOB_SHARDS + index) % fleet.length]!.id;
        const base = { jobId: job.id, index, attempt: 1, workerId, gpuIndices: [0], placedAtMs: now - 3_000_000, startedAtMs: now - 2_900_000 };
        const offset = (index * 97) % 4096;
        const result = finished ? JSON.stringify({ shard: index, output: noise.slice(offset, offset + resultSize) }) : undefined;
        const record = finished ? { ...base, state: 'succeeded', finishedAtMs: now - 60_000, exitCode: 0, wallMs: 2_840_000, peakRssKib: 3_145_728, result, outputBytes: 8_192 } : { ...base, state: 'running' };
        const event = finished
          ? { kind: 'shard-result', index, attempt: 1, state: 'succeeded', exitCode: 0, result, wallMs: 2_840_000, peakRssKib: 3_145_728, workerId, timeMs: now - 60_000 }
          : { kind: 'shard-state', index, attempt: 1, state: 'running', workerId, message: `running on ${workerId}`, timeMs: now - 2_900_000 };
        sequence += 1;
        const pair = [put(keys.shard(job.id, index), JSON.stringify(record)), put(keys.event(job.id, sequence), JSON.stringify(event))];
        const size = 2 * (result?.length ?? 0) + 600;
        if (ops.length + 2 > 120 || (ops.length > 0 && bytes + size > TXN_BYTES)) {
          await send(ops);
          ops = [];
          bytes = 0;
        }
        ops.push(...pair);
        bytes += size;
      }
      const { spec: jobSpec, ...status } = job;
      const counts = { ...job.counts, pending: 0, ...(finished ? { succeeded: count } : { running: count }) };
      const final = { ...status, state: finished ? 'succeeded' : 'running', counts, eventSeq: sequence, ...(finished && { finishedAtMs: now - 60_000 }), name: jobSpec.name };
      ops.push(put(keys.job(job.id), JSON.stringify(final)));
      await send(ops);
      written += count;
    }
    await Promise.all(inFlight);
    return stored;
  } finally {
    client.close();
    await kv.close();
  }
}

/** PREFIXES: what a starting scheduler mirrors (topology view, trust view, quota gate, job cache). */
function mirroredPrefixes(keys: Keys): string[] {
  return [keys.workersPrefix, keys.livePrefix, keys.trustPrefix, keys.quotasPrefix, keys.jobSpecsPrefix, keys.jobsPrefix, keys.shardsPrefix()];
}

async function rawRead(endpoint: string, keys: Keys): Promise<number> {
  const client = new Etcd3({ hosts: endpoint, grpcOptions: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 } });
  try {
    const start = process.hrtime.bigint();
    for (const prefix of mirroredPrefixes(keys)) {
      const end = Buffer.from(prefix);
      end[end.length - 1]! += 1;
      let from = Buffer.from(prefix);
      for (;;) {
        // No sort order: etcd returns key order anyway, and honours the limit only without one.
        const page = await client.kv.range({ key: from, range_end: end, limit: '1000' });
        const last = page.kvs.at(-1);
        if (!page.more || !last) break;
        from = Buffer.concat([last.key, Buffer.from([0])]);
      }
    }
    return since(start);
  } finally {
    client.close();
  }
}

async function tesseraStart(endpoint: string, root: string): Promise<{ seconds: number; peakMiB: number; retainedMiB: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  const kv = new EtcdKv([endpoint]);
  const store = new TopologyStore(kv, root, silent);
  const config = parseSchedulerConfig({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', etcdEndpoints: [endpoint], etcdPrefix: root, insecure: true });
  const start = process.hrtime.bigint();
  const scheduler = await startScheduler(config, store, kv, silent);
  const seconds = since(start);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  gc();
  const retained = process.memoryUsage().heapUsed;
  await scheduler.stop();
  await kv.close();
  return { seconds, peakMiB: (peak - before) / 1_048_576, retainedMiB: (retained - before) / 1_048_576 };
}

/** restartFigures fills a private etcd, then alternates raw reads and scheduler starts `trials` times. */
export async function restartFigures(shards: number, resultBytes: number, workers: number, trials: number): Promise<RestartFigures> {
  const etcd = await startEtcdServer({ quotaBackendBytes: quotaFor(resultBytes) });
  const root = '/tessera/v1/';
  try {
    const setupStart = process.hrtime.bigint();
    const stored = await fill(etcd.endpoint, root, shards, resultBytes, workers);
    const setupSeconds = since(setupStart);
    const raw: number[] = [];
    const runs: Array<{ seconds: number; peakMiB: number; retainedMiB: number }> = [];
    for (let t = 0; t < trials; t++) {
      raw.push(await rawRead(etcd.endpoint, new Keys(root)));
      runs.push(await tesseraStart(etcd.endpoint, root));
    }
    return {
      shards,
      resultBytes,
      workers,
      storedMiB: stored / 1_048_576,
      setupSeconds,
      seconds: median(runs.map((r) => r.seconds)),
      rawSeconds: median(raw),
      peakHeapMiB: median(runs.map((r) => r.peakMiB)),
      retainedHeapMiB: median(runs.map((r) => r.retainedMiB)),
      trials,
    };
  } finally {
    await etcd.stop();
  }
}
