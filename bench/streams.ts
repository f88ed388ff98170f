/**
 * Stream fan-out benchmark: `subscribers` concurrent StreamJobEvents streams on one in-process
 * gateway (real gRPC over loopback, `connections` client connections), all following one job,
 * while a writer appends log events to it with JobStore.apply (what the scheduler does with
 * output). The lag of an event at a subscriber is its arrival there minus the moment the writer
 * started the write. The gateway follows a job with one etcd watch and fans it out itself.
 * Baseline: the same writes, followed by as many raw etcd3 watchers on the job's events prefix
 * (one client; etcd makes every copy), the lag measured the same way. Writer, gateway, clients
 * and watchers share this process (and the machine's 2 cores) with etcd.
 */
import * as grpc from '@grpc/grpc-js';
import { Etcd3 } from 'etcd3';
import { randomBytes } from 'node:crypto';
import { withApiKey } from '../src/cli/gateway-client.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../src/common/grpc.js';
import { jobSpecSchema, type JobEventBody, type JobRecord } from '../src/common/job.js';
import { parseGatewayConfig } from '../src/gateway/config.js';
import { startGateway } from '../src/gateway/gateway.js';
import { JobStore, type Versioned } from '../src/store/job-store.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { percentile, silent, sleep, waitUntil } from './common.js';

/** LagFigures: write → arrival lags over every (event, subscriber) pair, ms. */
export interface LagFigures {
  p50: number;
  p99: number;
  max: number;
  /** Pairs that never arrived (0 when every subscriber saw every event). */
  missing: number;
}

/** StreamFigures: Tessera's streams and the raw watchers, the same events written the same way. */
export interface StreamFigures {
  subscribers: number;
  connections: number;
  events: number;
  intervalMs: number;
  tessera: LagFigures;
  raw: LagFigures;
}

/** Writer appends events to one job, a transaction each, and notes when each write started. */
class Writer {
  readonly startedAt = new Map<number, number>();
  private version: Versioned<JobRecord>;

  constructor(
    private readonly jobs: JobStore,
    job: Versioned<JobRecord>,
  ) {
    this.version = job;
  }

  get sequence(): number {
    return this.version.value.eventSeq;
  }

  async append(body: JobEventBody): Promise<number> {
    const sequence = this.version.value.eventSeq + 1;
    this.startedAt.set(sequence, performance.now());
    const done = await this.jobs.apply({ job: this.version, events: [body] });
    if (!done) throw new Error('stream bench: the writer lost a compare');
    this.version = { key: this.version.key, value: done.job, modRevision: done.revision };
    return sequence;
  }
}

const logLine = (n: number): JobEventBody => ({ kind: 'log', index: 0, attempt: 1, stream: 'stdout', dataBase64: Buffer.from(`step ${n}: loss 0.${String(1000 - n).padStart(4, '0')} lr 3e-4 tokens/s 18234\n`).toString('base64'), truncated: false });

/**
 * drive writes `warmups` events and waits for each to reach every subscriber (streams and
 * watches set up), then `events` measured ones `intervalMs` apart, and collects the lags.
 */
async function drive(writer: Writer, arrivals: Array<Map<number, number>>, warmups: number, events: number, intervalMs: number): Promise<LagFigures> {
  const everyone = (sequence: number): boolean => arrivals.every((a) => a.has(sequence));
  for (let w = 0; w < warmups; w++) {
    const sequence = await writer.append(logLine(w));
    await waitUntil(() => everyone(sequence), 60_000, `warm-up event ${sequence} at every subscriber`, 10);
    await sleep(250);
  }
  const measured: number[] = [];
  for (let e = 0; e < events; e++) {
    measured.push(await writer.append(logLine(100 + e)));
    await sleep(intervalMs);
  }
  await waitUntil(() => everyone(measured.at(-1)!), 10_000, 'the last event at every subscriber', 10).catch(() => undefined);
  const lags: number[] = [];
  let missing = 0;
  for (const sequence of measured) {
    const started = writer.startedAt.get(sequence)!;
    for (const a of arrivals) {
      const at = a.get(sequence);
      if (at === undefined) missing++;
      else lags.push(at - started);
    }
  }
  return { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.reduce((m, l) => Math.max(m, l), 0), missing };
}

/** streamFigures sets up a tenant, a job, a gateway and the subscribers, then measures both fan-outs. */
export async function streamFigures(endpoint: string, subscribers: number, connections: number, events: number, intervalMs: number): Promise<StreamFigures> {
  const root = `/bench-${randomBytes(4).toString('hex')}/v1/`;
  const writerKv = new EtcdKv([endpoint]);
  const jobs = new JobStore(writerKv, root);
  const { tenant, apiKey } = await jobs.createTenant('bench-streams');
  const spec = jobSpecSchema.parse({ name: 'streamed', entrypoint: { command: 'python3', args: ['train.py'] }, resources: { cpuCores: 1 }, partition: { kind: 'independent', shardCount: 1 } });
  const submitted = await jobs.submit(tenant.id, spec, { nowMs: Date.now(), retentionMs: 3_600_000 });
  const writer = new Writer(jobs, (await jobs.getJob(submitted.id))!);

  // Tessera: StreamJobEvents on a gateway with its own etcd client.
  const gatewayKv = new EtcdKv([endpoint]);
  const gateway = await startGateway(parseGatewayConfig({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', etcdEndpoints: [endpoint], etcdPrefix: root, insecure: true }), new TopologyStore(gatewayKv, root, silent), gatewayKv, silent);
  const { proto } = loadTesseraProto();
  // A local subchannel pool per client: `connections` separate TCP connections, not one shared.
  const clients = Array.from({ length: connections }, () => new proto.GatewayService(gateway.address, grpc.credentials.createInsecure(), { ...CLIENT_OPTIONS, 'grpc.use_local_subchannel_pool': 1 }));
  const streamArrivals = Array.from({ length: subscribers }, () => new Map<number, number>());
  const metadata = withApiKey(apiKey);
  const streams = streamArrivals.map((arrivals, i) => {
    const stream = clients[i % connections]!.StreamJobEvents({ jobId: submitted.id, afterSequence: writer.sequence }, metadata);
    stream.on('data', (message: { event?: { sequence: number } | null }) => {
      if (message.event) arrivals.set(Number(message.event.sequence), performance.now());
    });
    stream.on('error', () => undefined);
    return stream;
  });
  let tessera: LagFigures;
  try {
    tessera = await drive(writer, streamArrivals, 3, events, intervalMs);
  } finally {
    for (const s of streams) s.cancel();
    for (const c of clients) c.close();
    await gateway.stop();
    await gatewayKv.close();
  }

  // Baseline: raw etcd watchers on the job's events prefix.
  const client = new Etcd3({ hosts: endpoint });
  const watchArrivals = Array.from({ length: subscribers }, () => new Map<number, number>());
  const prefix = jobs.keys.events(submitted.id);
  const watchers = await Promise.all(
    watchArrivals.map(async (arrivals) => {
      const watcher = await client.watch().prefix(prefix).create();
      watcher.on('put', (kv) => arrivals.set(Number(kv.key.toString().slice(prefix.length)), performance.now()));
      return watcher;
    }),
  );
  let raw: LagFigures;
  try {
    raw = await drive(writer, watchArrivals, 3, events, intervalMs);
  } finally {
    await Promise.all(watchers.map((w) => w.cancel().catch(() => undefined)));
    client.close();
    await writerKv.revokeLease(submitted.lease);
    const cleanup = new Etcd3({ hosts: endpoint });
    await cleanup.delete().prefix(root);
    cleanup.close();
    await writerKv.close();
  }
  return { subscribers, connections, events, intervalMs, tessera, raw };
}
