/**
 * Placement benchmarks: decisions per second of the pure pipeline over simulated heterogeneous
 * fleets, and committed placements per second through Tessera's etcd path (the real
 * JobController: place, compare-and-swap commit, events) beside raw etcd transactions of the
 * same size, measured in the same run.
 */
import { randomBytes } from 'node:crypto';
import { Etcd3, type IRequestOp } from 'etcd3';
import type { Hardware } from '../src/common/hardware.js';
import { jobSpecSchema, resourcesSchema } from '../src/common/job.js';
import type { Logger } from '../src/common/logger.js';
import type { WorkerRecord } from '../src/common/worker.js';
import { JobController, type AgentLink } from '../src/scheduler/jobs/controller.js';
import { buildIndex } from '../src/scheduler/placement/snapshot.js';
import { newPlacementStack } from '../src/scheduler/placement/stack.js';
import type { ShardAsk } from '../src/scheduler/placement/types.js';
import { UsageTable } from '../src/scheduler/placement/usage.js';
import { JobStore } from '../src/store/job-store.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { MemoryKv } from '../src/store/kv-memory.js';
import { TenantStore } from '../src/store/tenant-store.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { JobCache } from '../src/scheduler/jobs/cache.js';
import { TopologyView } from '../src/store/topology-view.js';

const MODELS: Array<[string, number, number]> = [
  ['NVIDIA H100 80GB HBM3', 8, 81_559],
  ['NVIDIA A100-SXM4-80GB', 4, 81_920],
  ['NVIDIA GeForce RTX 4090', 1, 24_564],
  ['NVIDIA GeForce RTX 3080', 1, 10_240],
  ['Tesla T4', 1, 15_360],
  ['NVIDIA L40S', 2, 46_068],
];
const REGIONS = ['eu-west', 'us-east', 'us-west', 'ap-south'];

/** simulatedFleet: a deterministic mix — a quarter CPU-only, the rest spread over six GPU models. */
export function simulatedFleet(n: number): WorkerRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const model = i % 4 === 0 ? undefined : MODELS[i % MODELS.length]!;
    const hardware: Hardware = {
      gpus: model ? Array.from({ length: model[1] }, (_, g) => ({ vendor: 'nvidia' as const, uuid: `GPU-${i}-${g}`, name: model[0], memoryTotalMib: model[2], serial: '', pciBusId: '', virtualizationMode: 'none' as const, computeCapability: '', migMode: 'disabled' as const, migDevices: [], architecture: '', coreCount: 0 })) : [],
      cpu: { model: 'sim', cores: 8 << i % 4, memoryTotalMib: 65_536, arch: 'x64' },
      driverVersion: '', cudaVersion: '', os: 'Linux', hostname: `sim-${i}`, discoverySource: 'bench',
    };
    return { id: `w-${i.toString(16).padStart(16, '0')}`, name: `sim-${i}`, region: REGIONS[i % REGIONS.length]!, labels: {}, hardware, agentVersion: 'bench', isolation: { sandboxed: true, detail: 'simulated' }, joinedAtMs: 0 };
  });
}

const ASKS: ShardAsk[] = [
  { resources: resourcesSchema.parse({ cpuCores: 1 }), regions: [], labels: {} },
  { resources: resourcesSchema.parse({ gpuCount: 1, cpuCores: 1 }), regions: [], labels: {} },
  // H100 nodes of this fleet sit in us-west (every 12th worker): ask for a region list that includes it.
  { resources: resourcesSchema.parse({ gpuCount: 1, gpuModels: ['H100'], cpuCores: 2 }), regions: ['us-west', 'eu-west'], labels: {} },
];

/** decisionsPerSecond places `count` shards (cycling through three asks), resetting usage when the fleet fills. */
export function decisionsPerSecond(workers: number, count: number): number {
  const index = buildIndex(simulatedFleet(workers).map((w) => [w, true] as [WorkerRecord, boolean]));
  const stack = newPlacementStack();
  let usage = new UsageTable();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const ask = ASKS[i % ASKS.length]!;
    const decision = stack.place(index, usage, ask);
    if (decision.ok) usage.reserve(decision.placement, ask);
    else usage = new UsageTable();
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const silent = { info() {}, warn() {}, error() {}, debug() {}, child() { return silent; } } as unknown as Logger;
const noAgents: AgentLink = { assign: () => true, cancel: () => true, advertiseAddress: () => undefined, suspect: () => false };

/** committedPerSecond runs the real controller against etcd until `shards` shards are placed. */
export async function committedPerSecond(endpoint: string, workers: number, shards: number): Promise<number> {
  const kv = new EtcdKv([endpoint]);
  const root = `/bench-${randomBytes(3).toString('hex')}/v1/`;
  const jobs = new JobStore(kv, root);
  const topology = new TopologyStore(new MemoryKv(), undefined, silent);
  const { token } = await import('../src/store/join-tokens.js').then((m) => m.createJoinToken(topology, { uses: workers, ttlMs: 3_600_000 }));
  const { sha256Hex } = await import('../src/common/secrets.js');
  for (const w of simulatedFleet(workers)) {
    await topology.join(sha256Hex(token), w, 'x', Date.now());
    await topology.goOnline(w.id, { connectedAtMs: 0, schedulerId: 'bench' }, 3_600_000);
  }
  const view = await TopologyView.start(topology);
  const spec = jobSpecSchema.parse({ name: 'bench', entrypoint: { command: 'true' }, resources: { cpuCores: 1 }, partition: { kind: 'independent', shardCount: shards } });
  const tenant = 't-bench';
  const metrics = { dispatchLatency: { observe() {} }, placements: { inc() {} }, shardResults: { inc() {} }, tenantGpuSeconds: { inc() {} }, tenantCpuSeconds: { inc() {} } };
  const controller = new JobController({ store: jobs, cache: new JobCache(jobs), tenants: new TenantStore(kv, root), topology: view, link: noAgents, metrics, logger: silent });
  await controller.start();
  const job = await jobs.submit(tenant, spec, { nowMs: Date.now(), retentionMs: 3_600_000 });
  const start = process.hrtime.bigint();
  controller.kick();
  for (;;) {
    await new Promise((r) => setTimeout(r, 5));
    const placed = controller.cache.jobs.get(job.id)?.value.counts.placed ?? 0;
    if (placed === shards) break;
  }
  const rate = shards / (Number(process.hrtime.bigint() - start) / 1e9);
  await controller.stop();
  await view.stop();
  await topology.kv.close();
  await kv.close();
  return rate;
}

/** rawBatchedPerSecond commits the same shape with the etcd client alone: per shard a compare, a put of a shard record and a put of an event, 40 shards a transaction. */
export async function rawBatchedPerSecond(endpoint: string, shards: number, inFlight = 1): Promise<number> {
  const client = new Etcd3({ hosts: endpoint });
  const root = `/bench-raw-${randomBytes(3).toString('hex')}/`;
  const shardValue = JSON.stringify({ jobId: 'j-0000000000000000', index: 0, attempt: 1, state: 'placed', workerId: 'w-0000000000000000', gpuIndices: [], placedAtMs: Date.now() });
  const eventValue = JSON.stringify({ kind: 'shard-state', index: 0, attempt: 1, state: 'placed', workerId: 'w-0000000000000000', message: 'placed on w-0000000000000000', timeMs: Date.now() });
  // Create the shard keys first, as submit does, so compares have revisions to check.
  const created: Array<{ key: string; rev: string }> = [];
  for (let i = 0; i < shards; i += 40) {
    const keys = Array.from({ length: Math.min(40, shards - i) }, (_, k) => `${root}shards/${String(i + k).padStart(6, '0')}`);
    const r = await client.kv.txn({ compare: [], success: keys.map((key) => ({ request_put: { key: Buffer.from(key), value: Buffer.from(shardValue) } })), failure: [] });
    for (const key of keys) created.push({ key, rev: r.header.revision });
  }
  const commit = async (i: number): Promise<void> => {
    const batch = created.slice(i, i + 40);
    const success: IRequestOp[] = batch.flatMap(({ key }, k) => [
      { request_put: { key: Buffer.from(key), value: Buffer.from(shardValue) } },
      { request_put: { key: Buffer.from(`${root}events/${i + k}`), value: Buffer.from(eventValue) } },
    ]);
    await client.kv.txn({ compare: batch.map(({ key, rev }) => ({ key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: rev })), success, failure: [] });
  };
  const starts = Array.from({ length: Math.ceil(created.length / 40) }, (_, b) => b * 40);
  const start = process.hrtime.bigint();
  for (let b = 0; b < starts.length; b += inFlight) await Promise.all(starts.slice(b, b + inFlight).map(commit));
  const rate = created.length / (Number(process.hrtime.bigint() - start) / 1e9);
  await client.delete().prefix(root);
  client.close();
  return rate;
}
