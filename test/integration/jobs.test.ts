/**
 * Jobs end to end on three agent processes: an independent job of 20 shards runs a real script
 * and every result arrives once; a killed agent's shards rerun elsewhere; a client that drops
 * the stream resumes without loss or repeats; an unplaceable job says why and holds nothing.
 */
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/gen/tessera/v1/JobEvent.js';
import { collectEvents, startJobFleet, workJob, type JobFleet } from '../support/jobs.js';
import { waitFor } from '../support/processes.js';
import { sampleValue, scrape } from '../support/metrics.js';

let fleet: JobFleet;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  fleet = await startJobFleet(3);
}, 90_000);
afterAll(async () => {
  await fleet?.stop();
  console.log('job figures:', JSON.stringify(figures));
});

function results(events: JobEvent[]): JobEvent[] {
  return events.filter((e) => e.event === 'shardResult');
}

describe('an independent job of 20 shards', () => {
  it('runs on the three agents and streams 20 results, one per shard, also kept in the store', async () => {
    const started = Date.now();
    const { jobId, shardCount } = await fleet.calls.submit(workJob('squares', 20, 300));
    expect(shardCount).toBe(20);
    const events = await collectEvents(fleet, jobId);
    figures.twentyShardsMs = Date.now() - started;
    const finals = results(events);
    expect(finals.map((e) => e.shardResult!.index).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    for (const e of finals) {
      expect(e.shardResult!.state).toBe('SHARD_STATE_SUCCEEDED');
      expect(JSON.parse(e.shardResult!.resultJson)).toMatchObject({ index: e.shardResult!.index, square: e.shardResult!.index ** 2 });
      expect(e.shardResult!.exitCode).toBe(0);
      expect(Number(e.shardResult!.wallMs)).toBeGreaterThanOrEqual(300);
    }
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 20, failed: 0 });
    const logs = events.filter((e) => e.event === 'log').map((e) => e.log!.data.toString()).join('');
    expect(logs).toContain('shard 7 done');
    // Sequences strictly increase: the stream is an ordered log.
    const sequences = events.map((e) => Number(e.sequence));
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);

    const { job } = await fleet.calls.get(jobId);
    expect(job!.state).toBe('JOB_STATE_SUCCEEDED');
    expect(job!.shards).toHaveLength(20);
    expect(new Set(job!.shards.map((s) => s.workerId)).size).toBe(3);
    expect(job!.shards.every((s) => Number(s.peakRssKib) > 0)).toBe(true);
    const metrics = await scrape(fleet.servers.scheduler.metricsUrl);
    figures.dispatchLatencyMeanMs = Math.round((1000 * sampleValue(metrics, 'tessera_scheduler_dispatch_latency_seconds_sum')!) / sampleValue(metrics, 'tessera_scheduler_dispatch_latency_seconds_count')!);
  });

  it('reruns the shards of an agent killed with SIGKILL on the others; exactly 20 final results, none twice', async () => {
    const { jobId } = await fleet.calls.submit(workJob('squares-under-fire', 20, 2_000, { maxAttempts: 4 }));
    const streamed = collectEvents(fleet, jobId);
    const victim = fleet.agents[0]!;
    await waitFor(async () => {
      const { job } = await fleet.calls.get(jobId);
      return job!.shards.some((s) => s.workerId === victim.workerId && s.state === 'SHARD_STATE_RUNNING') ? true : undefined;
    }, 20_000, 'a shard running on the victim');
    await victim.process.stop('SIGKILL');
    const events = await streamed;
    const finals = results(events);
    expect(finals).toHaveLength(20);
    expect(new Set(finals.map((e) => e.shardResult!.index)).size).toBe(20);
    expect(finals.every((e) => e.shardResult!.state === 'SHARD_STATE_SUCCEEDED')).toBe(true);
    const rerun = finals.filter((e) => e.shardResult!.attempt > 1);
    expect(rerun.length).toBeGreaterThan(0);
    expect(rerun.every((e) => e.shardResult!.workerId !== victim.workerId)).toBe(true);
    const lostNotes = events.filter((e) => e.event === 'shardState' && /lost/.test(e.shardState!.message));
    expect(lostNotes.length).toBe(rerun.length);
    figures.shardsRerunAfterKill = rerun.length;
    fleet.agents.shift();
    await fleet.addAgent('agent-4');
  });
});

describe('the event stream', () => {
  it('resumes from the last sequence after the client drops: nothing missed, nothing twice', async () => {
    const { jobId } = await fleet.calls.submit(workJob('resume', 8, 200));
    const first = await collectEvents(fleet, jobId, 0, 5);
    expect(first).toHaveLength(5);
    const rest = await collectEvents(fleet, jobId, Number(first.at(-1)!.sequence));
    const whole = await collectEvents(fleet, jobId, 0);
    const seq = (list: JobEvent[]): number[] => list.map((e) => Number(e.sequence));
    expect([...seq(first), ...seq(rest)]).toEqual(seq(whole));
    expect(results([...first, ...rest])).toHaveLength(8);
  });
});

describe('an unplaceable job', () => {
  it('says in words why 8 × H100 cannot run on a CPU fleet, and reserves nothing', async () => {
    const { jobId } = await fleet.calls.submit(workJob('needs-h100', 2, 0, { resources: { gpuCount: 8, gpuModels: ['H100'] } }));
    await waitFor(async () => ((await fleet.calls.explain(jobId)).decisions.length > 0 ? true : undefined), 10_000, 'a placement decision');
    const explained = await fleet.calls.explain(jobId);
    expect(explained.summary).toBe('0 of 3 workers fit: 3 lack GPU model H100');
    expect(explained.decisions[0]!.filtered).toEqual({ 'gpu-model': 3 });
    const { job } = await fleet.calls.get(jobId);
    expect(job!.placementSummary).toBe('0 of 3 workers fit: 3 lack GPU model H100');
    expect(job!.shards.every((s) => s.state === 'SHARD_STATE_PENDING' && s.workerId === '')).toBe(true);
    expect(job!.state).toBe('JOB_STATE_PENDING');
    // A gang that does not fit is not half placed either.
    const gang = await fleet.calls.submit({ ...workJob('gang-too-big', 1, 0), independent: undefined, gang: { worldSize: 7 }, resources: { cpuCores: 2 } });
    await waitFor(async () => ((await fleet.calls.explain(gang.jobId)).decisions.length > 0 ? true : undefined), 10_000, 'gang decision');
    // Each worker holds floor(cores / 2) two-core ranks; the first rank past that has nowhere to go.
    const fits = 3 * Math.floor(availableParallelism() / 2);
    expect((await fleet.calls.explain(gang.jobId)).summary).toMatch(new RegExp(`^gang of 7 not placed \\(rank ${fits} has nowhere to go; nothing reserved\\): 0 of 3 workers fit: 3 have fewer than 2 free CPU cores$`));
    expect((await fleet.calls.get(gang.jobId)).job!.shards.every((s) => s.state === 'SHARD_STATE_PENDING')).toBe(true);
    await fleet.calls.cancel(jobId);
    await fleet.calls.cancel(gang.jobId);
    await waitFor(async () => ((await fleet.calls.get(gang.jobId)).job!.state === 'JOB_STATE_CANCELLED' ? true : undefined), 10_000, 'cancelled');
  });
});

describe('the job commands', () => {
  it('creates a tenant, submits the demo job file with progress, lists it, prints its logs and explains it', async () => {
    const { runTessera } = await import('../support/processes.js');
    const tenant = await runTessera(['tenants', 'create', 'cli-user', '--etcd', fleet.etcd.endpoint, '--etcd-prefix', fleet.servers.root]);
    expect(tenant.code, tenant.stderr).toBe(0);
    const apiKey = tenant.stdout.trim();
    expect(apiKey).toMatch(/^tsk_/);
    const env = { TESSERA_GATEWAY: fleet.servers.gateway.address, TESSERA_API_KEY: apiKey };
    const submit = await runTessera(['submit', 'examples/demo/job.yaml'], env);
    expect(submit.code, submit.stderr).toBe(0);
    const jobId = /submitted (j-[0-9a-f]{16}) \(12 shards\)/.exec(submit.stdout)![1]!;
    expect(submit.stdout).toMatch(/\[#{30}\] 12\/12 done · 0 running · 0 placed · 0 pending · 0 failed/);
    expect(submit.stdout).toMatch(/succeeded: 12 succeeded, 0 failed, 0 cancelled in [\d.]+ s/);
    const jobs = await runTessera(['jobs'], env);
    expect(jobs.stdout).toMatch(new RegExp(`^${jobId}\\s+demo-primes\\s+succeeded\\s+12\\s+12\\s+0\\s+0`, 'm'));
    const logs = await runTessera(['logs', jobId, '--shard', '3'], env);
    expect(logs.stdout.trim()).toMatch(/^shard 3\/12: \d+ primes in \[750000, 1000000\)$/);
    const explain = await runTessera(['explain', jobId], env);
    expect(explain.stdout).toMatch(/placed on w-[0-9a-f]{16} \(score/);
    expect(explain.stdout).toMatch(/WORKER\s+FILTER\s+SCORES\s+TOTAL/);
    // Another tenant's key sees nothing of it.
    const stranger = await runTessera(['logs', jobId], { ...env, TESSERA_API_KEY: fleet.apiKey });
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain(`job ${jobId} not found`);
  });
});
