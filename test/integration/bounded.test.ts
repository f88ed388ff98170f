/**
 * Sizes no one may forget: results and output that together pass etcd's and gRPC's per-message
 * limits, a gang whose results do not fit one transaction, a submit etcd refuses, and a
 * compaction while the scheduler is cut off from etcd. Real etcd, agents and gRPC.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpecWire } from '../../src/gen/tessera/v1/JobSpec.js';
import { startScheduler } from '../../src/scheduler/scheduler.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { TopologyStore } from '../../src/store/topology-store.js';
import { collectEvents, startJobFleet, type JobFleet } from '../support/jobs.js';
import { runTessera, waitFor } from '../support/processes.js';
import { silentLogger } from '../support/servers.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { dumpKeys } from '../support/etcd.js';

const MiB = 1024 * 1024;
const fleets: JobFleet[] = [];
const proxies: TcpProxy[] = [];
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.stop()));
  await Promise.all(proxies.map((p) => p.close()));
});

const figures: Record<string, number> = {};
afterAll(() => console.log('bounded figures:', JSON.stringify(figures)));

/** nodeJob runs a small Node script per shard (the sandbox has the agent's node). */
function nodeJob(name: string, script: string, extra: Partial<JobSpecWire>): JobSpecWire {
  return {
    name,
    entrypoint: { command: process.execPath, args: ['job.js'], files: [{ path: 'job.js', content: Buffer.from(script) }] },
    resources: { cpuCores: 0.05 },
    maxAttempts: 1,
    timeoutSeconds: 120,
    ...extra,
  };
}

/** RESULT_SCRIPT writes a JSON string of RESULT_BYTES characters as the shard's result. */
const RESULT_SCRIPT = `require('fs').writeFileSync(process.env.TESSERA_RESULT_PATH, JSON.stringify('r'.repeat(Number(process.env.RESULT_BYTES) - 2)));`;

describe('results and output past the per-message limits', () => {
  let fleet: JobFleet;

  it('keeps 80 results of 60 KB (4.8 MB, past gRPC\'s 4 MiB) through a scheduler restart; GetJob stays under 4 MiB', async () => {
    fleet = await startJobFleet(2, { maxOutputBytes: 2 * MiB, scheduler: { maxAttemptOutputBytes: 2 * MiB, outputRateBytesPerSec: 64 * MiB, outputBurstBytes: 64 * MiB } });
    fleets.push(fleet);
    const spec = nodeJob('big-results', RESULT_SCRIPT, { independent: { shardCount: 80 } });
    spec.entrypoint!.env = { RESULT_BYTES: '60000' };
    const { jobId } = await fleet.calls.submit(spec);
    const events = await collectEvents(fleet, jobId);
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 80 });
    const results = events.filter((e) => e.event === 'shardResult');
    expect(results).toHaveLength(80);
    expect(results.every((e) => e.shardResult!.resultJson.length === 60_000)).toBe(true);

    // A second scheduler on the same store loads every job and shard (paged reads) and serves.
    const kv = new EtcdKv([fleet.etcd.endpoint]);
    const began = Date.now();
    const second = await startScheduler(
      parseSchedulerConfig({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', etcdEndpoints: [fleet.etcd.endpoint], etcdPrefix: fleet.servers.root, insecure: true }),
      new TopologyStore(kv, fleet.servers.root, silentLogger),
      kv,
      silentLogger,
    );
    figures.restartWith4p8MBResultsMs = Date.now() - began;
    try {
      expect(second.controller.cache.status(jobId)?.counts.succeeded).toBe(80);
    } finally {
      await second.stop();
      await kv.close();
    }
    // GetJob carries results while they fit its budget, and says which it left out.
    const { job } = await fleet.calls.get(jobId);
    expect(job!.shards).toHaveLength(80);
    const carried = job!.shards.filter((s) => s.resultJson.length === 60_000).length;
    expect(carried).toBeGreaterThan(20);
    expect(job!.shards.filter((s) => s.resultOmitted)).toHaveLength(80 - carried);
  }, 180_000);

  it('streams 8 shards × 1 MiB of output in full through `tessera logs`', async () => {
    const script = `
      const i = process.env.TESSERA_SHARD_INDEX;
      const lines = [];
      for (let n = 0; n < 16384; n++) lines.push(('s' + i + ':' + n).padEnd(63, '.') + '\\n');
      process.stdout.write(lines.join(''));`;
    const { jobId } = await fleet.calls.submit(nodeJob('big-output', script, { independent: { shardCount: 8 } }));
    const began = Date.now();
    const logs = await runTessera(['logs', jobId, '--follow', '--gateway', fleet.servers.gateway.address, '--api-key', fleet.apiKey]);
    figures.logs8MiBMs = Date.now() - began;
    expect(logs.code, logs.stderr.slice(-2000)).toBe(0);
    const perShard = new Map<string, number>();
    for (const line of logs.stdout.split('\n')) {
      const shard = /^s(\d+):\d+\.*$/.exec(line)?.[1];
      if (shard !== undefined) perShard.set(shard, (perShard.get(shard) ?? 0) + line.length + 1);
    }
    expect([...perShard.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect([...perShard.values()].every((bytes) => bytes === MiB)).toBe(true);
  }, 180_000);

  it('finishes a 32-rank gang whose ranks each return 64 KB (2 MB of results: more than one etcd request)', async () => {
    const spec = nodeJob('wide-gang', RESULT_SCRIPT, { gang: { worldSize: 32 } });
    spec.entrypoint!.env = { RESULT_BYTES: '64000' };
    const { jobId } = await fleet.calls.submit(spec);
    const events = await collectEvents(fleet, jobId);
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 32 });
    const results = events.filter((e) => e.event === 'shardResult');
    expect(results.map((e) => e.shardResult!.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(results.every((e) => e.shardResult!.resultJson.length === 64_000)).toBe(true);
  }, 180_000);
});

describe('a submit etcd refuses', () => {
  it('fails with a clear error and leaves no key behind', async () => {
    // An etcd that takes requests of at most 256 KiB: a 400 KB job spec is within Tessera's limits but not this etcd's.
    const fleet = await startJobFleet(0, { etcdArgs: ['--max-request-bytes', String(256 * 1024)] });
    fleets.push(fleet);
    const before = await dumpKeys(fleet.etcd.endpoint, fleet.servers.root);
    const spec = nodeJob('too-big-for-this-etcd', 'process.exit(0)', { independent: { shardCount: 3 } });
    spec.entrypoint!.files!.push({ path: 'data.bin', content: Buffer.alloc(200 * 1024, 7) });
    spec.entrypoint!.files!.push({ path: 'data2.bin', content: Buffer.alloc(200 * 1024, 8) });
    await expect(fleet.calls.submit(spec)).rejects.toThrow(/RESOURCE_EXHAUSTED.*larger than this fleet's etcd accepts/);
    expect(await dumpKeys(fleet.etcd.endpoint, fleet.servers.root)).toEqual(before);
  }, 60_000);
});

describe('a compaction while the scheduler is cut off from etcd', () => {
  it('does not freeze it: its caches re-read, and a job submitted meanwhile runs', async () => {
    const fleet = await startJobFleet(2, {
      schedulerEtcd: async (endpoint) => {
        const proxy = await TcpProxy.start(endpoint.replace(/^https?:\/\//, ''));
        proxies.push(proxy);
        return `http://${proxy.address}`;
      },
    });
    fleets.push(fleet);
    const proxy = proxies.at(-1)!;
    const quick = nodeJob('before', 'process.exit(0)', { independent: { shardCount: 4 } });
    const first = await fleet.calls.submit(quick);
    expect((await collectEvents(fleet, first.jobId)).at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED' });

    // Cut the scheduler off (shorter than the 3 s lease: workers stay online), submit through
    // the gateway, and compact etcd past everything the scheduler's watches have seen.
    proxy.mode = 'blackhole';
    proxy.resetAll();
    const second = await fleet.calls.submit({ ...quick, name: 'during' });
    const kv = new EtcdKv([fleet.etcd.endpoint]);
    const { revision } = await kv.txn({ puts: [{ key: `${fleet.servers.root}compaction-mark`, value: '1' }] });
    await kv.compact(revision);
    await kv.close();
    proxy.mode = 'pass';
    proxy.resetAll();

    const began = Date.now();
    expect((await collectEvents(fleet, second.jobId)).at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 4 });
    figures.jobAfterCompactionMs = Date.now() - began;
    await waitFor(() => (fleet.servers.scheduler.controller.cache.status(second.jobId)?.state === 'succeeded' ? true : undefined), 5_000, 'the job finished in the scheduler cache');
  }, 120_000);
});
