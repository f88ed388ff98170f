/**
 * The job controller on the in-memory store (etcd's semantics, no processes): what one pass
 * decides when several jobs compete for the same GPUs. The worker's hardware is a real H200's
 * `nvidia-smi -q -x` (test/fixtures). Agents are the controller's AgentLink, recording what it sends.
 */
import { afterEach, expect, it } from 'vitest';
import { jobSpecSchema, type JobRecord, type ShardRecord } from '../../src/common/job.js';
import { parseNvidiaSmiXml } from '../../src/agent/discovery/nvidia.js';
import { JobCache } from '../../src/scheduler/jobs/cache.js';
import { JobController, type AgentLink } from '../../src/scheduler/jobs/controller.js';
import { JobStore } from '../../src/store/job-store.js';
import { MemoryKv } from '../../src/store/kv-memory.js';
import { TenantStore } from '../../src/store/tenant-store.js';
import { TopologyStore } from '../../src/store/topology-store.js';
import { TopologyView } from '../../src/store/topology-view.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { sha256Hex } from '../../src/common/secrets.js';
import { fixture } from '../support/fixtures.js';
import { waitFor } from '../support/processes.js';
import { silentLogger } from '../support/servers.js';
import { CPU_HARDWARE, workerRecord } from '../support/workers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const metrics = { dispatchLatency: { observe() {} }, placements: { inc() {} }, shardResults: { inc() {} }, tenantGpuSeconds: { inc() {} }, tenantCpuSeconds: { inc() {} } };

it('never gives one GPU to a gang and an independent shard placed in the same pass', async () => {
  const kv = new MemoryKv();
  const topology = new TopologyStore(kv, undefined, silentLogger);
  const report = parseNvidiaSmiXml(fixture('nvidia-smi/h200/nvidia-smi-q.xml'));
  expect(report.gpus).toHaveLength(1);
  const worker = workerRecord({ hardware: { ...CPU_HARDWARE, cpu: { ...CPU_HARDWARE.cpu, cores: 16, memoryTotalMib: 65_536 }, gpus: report.gpus, discoverySource: 'nvidia-smi' } });
  const { token } = await createJoinToken(topology, { uses: 1, ttlMs: 60_000 });
  expect(await topology.join(sha256Hex(token), worker, sha256Hex('secret'), Date.now())).toBe('joined');
  await topology.goOnline(worker.id, { connectedAtMs: Date.now(), schedulerId: 'test' }, 60_000);
  const view = await TopologyView.start(topology);
  const jobs = new JobStore(kv, undefined, silentLogger);
  // Both jobs are in the store before the controller's first pass, so one pass decides both.
  const oneGpu = { entrypoint: { command: 'true' }, resources: { gpuCount: 1, cpuCores: 1 } };
  const gang = await jobs.submit('t-test', jobSpecSchema.parse({ ...oneGpu, name: 'gang', priority: 10, partition: { kind: 'gang', worldSize: 1 } }), { nowMs: Date.now(), retentionMs: 60_000 });
  const single = await jobs.submit('t-test', jobSpecSchema.parse({ ...oneGpu, name: 'single', partition: { kind: 'independent', shardCount: 1 } }), { nowMs: Date.now() + 1, retentionMs: 60_000 });
  const assigned: Array<{ job: JobRecord; shard: ShardRecord }> = [];
  const link: AgentLink = { assign: (_w, job, shard) => assigned.push({ job, shard }) > 0, cancel: () => true, advertiseAddress: () => '127.0.0.1', suspect: () => false };
  const controller = new JobController({ store: jobs, cache: new JobCache(jobs), tenants: new TenantStore(kv), topology: view, link, metrics, logger: silentLogger });
  await controller.start();
  stops.push(async () => {
    await controller.stop();
    await view.stop();
    await kv.close();
  });
  await waitFor(() => (assigned.length >= 1 ? true : undefined), 5_000, 'a placement');
  await new Promise((r) => setTimeout(r, 300));
  await controller.idle();
  // The gang (higher priority) holds the one H200; the independent shard waits for it.
  expect(assigned.map((a) => a.job.spec.name)).toEqual(['gang']);
  expect(assigned[0]!.shard.gpuIndices).toEqual([0]);
  expect(controller.cache.jobs.get(single.id)?.value.counts).toMatchObject({ pending: 1, placed: 0 });
  expect(controller.cache.jobs.get(gang.id)?.value.counts).toMatchObject({ placed: 1 });
});
