/**
 * A scheduler killed while a job runs: agents keep running their shards, reconnect to the new
 * scheduler, report what finished meanwhile, and the job completes with one result per shard.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectGateway, jobCalls, withApiKey } from '../../src/cli/gateway-client.js';
import type { JobEvent } from '../../src/gen/tessera/v1/JobEvent.js';
import { freePort } from '../../src/common/net.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { workJob } from '../support/jobs.js';
import { runTessera, spawnTessera, stopAll, waitFor } from '../support/processes.js';

let etcd: EtcdServer | undefined;
let stateRoot: string | undefined;
afterAll(async () => {
  await stopAll();
  await etcd?.stop();
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
});

it('finishes a running job after the scheduler is killed and restarted', async () => {
  etcd = await startEtcd();
  stateRoot = await mkdtemp(join(tmpdir(), 'tessera-restart-'));
  const port = await freePort();
  const scheduler = (): ReturnType<typeof spawnTessera> =>
    spawnTessera(['scheduler', '--listen', `127.0.0.1:${port}`, '--metrics-listen', '127.0.0.1:0', '--etcd', etcd!.endpoint, '--lease-ttl', '10s', '--heartbeat-interval', '500ms', '--insecure']);
  let sched = scheduler();
  await sched.waitForLog((l) => l.msg === 'scheduler listening');
  const gateway = spawnTessera(['gateway', '--listen', '127.0.0.1:0', '--metrics-listen', '127.0.0.1:0', '--etcd', etcd.endpoint, '--insecure']);
  const address = String((await gateway.waitForLog((l) => l.msg === 'gateway listening')).grpcAddress);
  const token = (await runTessera(['join-token', 'create', '--uses', '2', '--etcd', etcd.endpoint])).stdout.trim();
  const apiKey = (await runTessera(['tenants', 'create', 'restart', '--etcd', etcd.endpoint])).stdout.trim();
  for (const name of ['a1', 'a2']) {
    const agent = spawnTessera(['agent', '--scheduler', `127.0.0.1:${port}`, '--join-token', token, '--state-dir', join(stateRoot, name), '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '500ms', '--advertise-address', '127.0.0.1', '--insecure']);
    await agent.waitForLog((l) => l.msg === 'connected to scheduler');
  }
  const client = connectGateway(address);
  const calls = jobCalls(client, apiKey);
  const { jobId } = await calls.submit(workJob('survives', 6, 3_000));
  await waitFor(async () => ((await calls.get(jobId)).job!.shards.filter((s) => s.state === 'SHARD_STATE_RUNNING').length >= 4 ? true : undefined), 20_000, 'shards running');

  await sched.stop('SIGKILL');
  await new Promise((r) => setTimeout(r, 1_500));
  sched = scheduler();
  await sched.waitForLog((l) => l.msg === 'scheduler listening');

  const events = await new Promise<JobEvent[]>((resolve, reject) => {
    const seen: JobEvent[] = [];
    const stream = client.StreamJobEvents({ jobId, afterSequence: 0 }, withApiKey(apiKey));
    stream.on('data', ({ event }: { event: JobEvent }) => seen.push(event));
    stream.on('end', () => resolve(seen));
    stream.on('error', reject);
  });
  client.close();
  const results = events.filter((e) => e.event === 'shardResult');
  expect(results.map((e) => e.shardResult!.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  expect(results.every((e) => e.shardResult!.state === 'SHARD_STATE_SUCCEEDED')).toBe(true);
  expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 6 });
  // The shards that were running when the scheduler died — some finished while it was down —
  // were not run again: the restart took less than the 10 s lease, so their workers never went
  // offline, and the agents reported what they held.
  expect(results.filter((e) => e.shardResult!.attempt === 1).length).toBeGreaterThanOrEqual(4);
  expect(events.some((e) => e.event === 'shardState' && /lost/.test(e.shardState!.message))).toBe(false);
});
