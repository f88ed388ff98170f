/**
 * What users and hostile clients can do to the job API: malformed specs are refused with
 * INVALID_ARGUMENT naming the field and store nothing; keys and tenants are enforced; cancel
 * leaves no process behind; output is capped; timeouts stop a shard.
 */
import * as grpc from '@grpc/grpc-js';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpecWire } from '../../src/gen/tessera/v1/JobSpec.js';
import { jobCalls, withApiKey } from '../../src/cli/gateway-client.js';
import { loadTesseraProto } from '../../src/common/grpc.js';
import { collectEvents, startJobFleet, workJob, type JobFleet } from '../support/jobs.js';
import { waitFor } from '../support/processes.js';

let fleet: JobFleet;
beforeAll(async () => {
  fleet = await startJobFleet(1, { killGrace: '1s', maxOutputBytes: 4096 });
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
});

const base = (): JobSpecWire => workJob('valid', 2, 0);
const entry = (over: Record<string, unknown>): Partial<JobSpecWire> => ({ entrypoint: { ...base().entrypoint!, ...over } });

const CASES: Array<[string, Partial<JobSpecWire>, RegExp]> = [
  ['an empty name', { name: '' }, /^spec\.name: expected a job name/],
  ['a name with spaces', { name: 'my job' }, /^spec\.name: /],
  ['an empty command', entry({ command: '' }), /^spec\.entrypoint\.command: expected a command to run/],
  ['no entrypoint', { entrypoint: null }, /^spec\.entrypoint: /],
  ['no partition', { independent: undefined }, /^spec\.partition \(gang or independent\): /],
  ['zero shards', { independent: { shardCount: 0 } }, /^spec\.independent\.shard_count: expected at least 1 shard/],
  ['10,001 shards', { independent: { shardCount: 10_001 } }, /^spec\.independent\.shard_count: expected at most 10000 shards/],
  ['a world size over the limit', { independent: undefined, gang: { worldSize: 33 } }, /^spec\.gang\.world_size: expected at most 32 ranks/],
  ['17 GPUs per shard', { resources: { gpuCount: 17 } }, /^spec\.resources\.gpu_count: expected at most 16 GPUs per shard/],
  ['an unknown GPU model', { resources: { gpuModels: ['H10'] } }, /^spec\.resources\.gpu_models\[0\]: expected a GPU model Tessera knows: .*H100/],
  ['negative CPU cores', { resources: { cpuCores: -1 } }, /^spec\.resources\.cpu_cores: expected more than 0 cores/],
  ['an uptime floor above 1', { minUptime_30d: 1.5 }, /^spec\.min_uptime_30d: expected 0 to 1/],
  ['an eight-day timeout', { timeoutSeconds: 8 * 86_400 }, /^spec\.timeout_seconds: expected at most 604800 seconds/],
  ['eleven attempts', { maxAttempts: 11 }, /^spec\.max_attempts: expected at most 10 attempts/],
  ['a priority of 5000', { priority: 5000 }, /^spec\.priority: /],
  ['an oversized environment value', entry({ env: { BIG: 'x'.repeat(33 * 1024) } }), /^spec\.entrypoint\.env\.BIG: expected a value of at most 32768 characters/],
  ['a reserved environment name', entry({ env: { RANK: '3' } }), /^spec\.entrypoint\.env\.RANK: is set by Tessera/],
  ['an oversized inline file', entry({ files: [{ path: 'big.bin', content: Buffer.alloc(300 * 1024) }] }), /^spec\.entrypoint\.files\[0\]\.content: expected at most 262144 bytes per file/],
  ['a file path escaping the shard directory', entry({ files: [{ path: '../escape.sh', content: Buffer.from('x') }] }), /^spec\.entrypoint\.files\[0\]\.path: expected a relative path without "\.\."/],
  ['the same file twice', entry({ files: [{ path: 'a', content: Buffer.from('1') }, { path: 'a', content: Buffer.from('2') }] }), /^spec\.entrypoint\.files: expected each file path once/],
  ['an absolute working directory', entry({ workingDir: '/etc' }), /^spec\.entrypoint\.working_dir: /],
  ['257 arguments', entry({ args: Array.from({ length: 257 }, () => 'a') }), /^spec\.entrypoint\.args: expected at most 256 arguments/],
  ['a region with spaces', { regions: ['EU WEST'] }, /^spec\.regions\[0\]: expected a region name/],
  ['more shards than inputs', { independent: { shardCount: 3, inputs: ['a', 'b'] } }, /^spec\.independent\.shard_count: expected no more shards than inputs/],
  ['a label selector with a bad key', { labels: { 'bad key': 'x' } }, /^spec\.labels\.bad key: expected a label key/],
];

describe('SubmitJob refuses malformed specs', () => {
  it.each(CASES)('%s → INVALID_ARGUMENT naming the field', async (_what, over, detail) => {
    const error = await fleet.calls.submit({ ...base(), ...over }).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(detail);
  });

  it('refuses invalid UTF-8 in a string field', async () => {
    const { proto } = loadTesseraProto();
    const method = proto.GatewayService.service.SubmitJob;
    const bytes = method.requestSerialize({ spec: { ...base(), entrypoint: { ...base().entrypoint!, command: 'QQQQ' } } });
    const at = bytes.indexOf('QQQQ');
    bytes.set([0xff, 0xfe, 0xc3, 0x28], at);
    const raw = new grpc.Client(fleet.servers.gateway.address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.makeUnaryRequest('/tessera.v1.GatewayService/SubmitJob', (b: Buffer) => b, (b: Buffer) => b, bytes, withApiKey(fleet.apiKey), (err) => resolve(err)),
    );
    raw.close();
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toBe('spec.entrypoint.command: expected valid UTF-8 text');
  });

  it('refuses a 5 MiB request with RESOURCE_EXHAUSTED', async () => {
    const error = await fleet.calls.submit({ ...base(), ...entry({ files: [{ path: 'huge', content: Buffer.alloc(5 * 1024 * 1024) }] }) }).then(() => undefined, (e: grpc.ServiceError) => e);
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it('stored nothing for any refused spec', async () => {
    const jobs = await fleet.servers.jobs.kv.range(`${fleet.servers.root}jobs/`);
    const shards = await fleet.servers.jobs.kv.range(`${fleet.servers.root}shards/`);
    expect(jobs.entries).toEqual([]);
    expect(shards.entries).toEqual([]);
  });
});

describe('tenants', () => {
  it('refuses a missing or wrong API key with UNAUTHENTICATED', async () => {
    for (const key of [undefined, 'tsk_wrong']) {
      const error = await jobCalls(fleet.servers.gatewayClient, key).list().then(() => undefined, (e: grpc.ServiceError) => e);
      expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    }
  });

  it("answers NOT_FOUND for another tenant's job, for every call", async () => {
    const { jobId } = await fleet.calls.submit(workJob('mine', 1, 0));
    const { apiKey } = await fleet.servers.jobs.createTenant('someone-else');
    const other = jobCalls(fleet.servers.gatewayClient, apiKey);
    for (const call of [() => other.get(jobId), () => other.cancel(jobId), () => other.explain(jobId)]) {
      const error = await call().then(() => undefined, (e: grpc.ServiceError) => e);
      expect(error?.code).toBe(grpc.status.NOT_FOUND);
    }
    const stream = await new Promise<grpc.ServiceError>((resolve) => {
      const s = fleet.servers.gatewayClient.StreamJobEvents({ jobId }, withApiKey(apiKey));
      s.on('error', resolve);
      s.on('data', () => undefined);
    });
    expect(stream.code).toBe(grpc.status.NOT_FOUND);
    expect((await other.list()).jobs).toEqual([]);
    expect((await fleet.calls.list()).jobs.map((j) => j.id)).toContain(jobId);
  });
});

describe('running shards', () => {
  it('cancel: every process of the job, children included, is gone within the grace period', async () => {
    // The shards run in pid namespaces of their own, so the test finds their processes from the
    // host by a marker on their command lines.
    const marker = `stubborn-${Date.now()}`;
    const script = `
      const { spawn } = require('node:child_process');
      spawn('sh', ['-c', 'sleep 300; true', '${marker}'], { stdio: 'ignore' });
      spawn('sh', ['-c', '(sleep 301; true) & sleep 302; true', '${marker}'], { stdio: 'ignore' });
      process.on('SIGTERM', () => {}); // a stubborn shard: only SIGKILL ends it
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const { jobId } = await fleet.calls.submit({
      ...workJob('stubborn', 2, 0),
      entrypoint: { command: process.execPath, args: ['s.js', marker], files: [{ path: 's.js', content: Buffer.from(script) }] },
    });
    const marked = async (): Promise<number[]> => {
      const found: number[] = [];
      for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.split('\0').includes(marker)) found.push(Number(pid));
      }
      return found;
    };
    // Per shard: node, two shells and the second shell's subshell.
    await waitFor(async () => ((await marked()).length >= 8 ? true : undefined), 20_000, 'both shards and their children running');
    const pids = await marked();
    const cancelledAt = Date.now();
    await fleet.calls.cancel(jobId);
    // Alive: it exists and is not a zombie (a killed process waits for whoever reaps it — after a
    // sandbox's pid namespace ends, that is the host's init — but runs no code and holds nothing).
    const alive = async (pid: number): Promise<boolean> => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    };
    await waitFor(async () => ((await Promise.all(pids.map(alive))).some(Boolean) ? undefined : true), 8_000, 'every process gone', 50);
    const goneAt = Date.now();
    // The agent's part is measured from its own "stopping" line: the 1 s grace, then SIGKILL to
    // the cgroup. The cancel's way from the API to the agent is reported, not bounded, here.
    const agent = fleet.agents[0]!.process;
    const stopping = agent.lines.filter((l) => String(l.msg).startsWith('stopping shard') && l.jobId === jobId).map((l) => Date.parse(String(l.time)));
    expect(stopping).toHaveLength(2);
    console.log(`cancel: API → agent ${Math.min(...stopping) - cancelledAt} ms; agent → every process gone ${goneAt - Math.min(...stopping)} ms`);
    expect(goneAt - Math.min(...stopping)).toBeLessThan(1_000 + 1_000);
    const events = await collectEvents(fleet, jobId);
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_CANCELLED', cancelled: 2 });
  });

  it('caps output per shard and says where it was cut', async () => {
    const script = `process.stdout.write('y'.repeat(20000)); require('fs').writeFileSync(process.env.TESSERA_RESULT_PATH, '{}');`;
    const { jobId } = await fleet.calls.submit({ ...workJob('chatty', 1, 0), entrypoint: { command: process.execPath, args: ['c.js'], files: [{ path: 'c.js', content: Buffer.from(script) }] } });
    const events = await collectEvents(fleet, jobId);
    const logs = events.filter((e) => e.event === 'log');
    expect(logs.reduce((n, e) => n + e.log!.data.length, 0)).toBe(4096);
    expect(logs.at(-1)!.log!.truncated).toBe(true);
    const { job } = await fleet.calls.get(jobId);
    expect(job!.shards[0]).toMatchObject({ outputTruncated: true, state: 'SHARD_STATE_SUCCEEDED' });
  });

  it('passes output bytes through unchanged, even a character split across two chunks', async () => {
    const script = `process.stdout.write(Buffer.from([0xc3])); setTimeout(() => { process.stdout.write(Buffer.from([0xa9, 0x0a])); require('fs').writeFileSync(process.env.TESSERA_RESULT_PATH, '{}'); }, 500);`;
    const { jobId } = await fleet.calls.submit({ ...workJob('split-char', 1, 0), entrypoint: { command: process.execPath, args: ['s.js'], files: [{ path: 's.js', content: Buffer.from(script) }] } });
    const events = await collectEvents(fleet, jobId);
    const chunks = events.filter((e) => e.event === 'log').map((e) => e.log!.data);
    expect(chunks.length).toBe(2);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('é\n');
  });

  it('stops a shard at its timeout and reports it as such', async () => {
    const { jobId } = await fleet.calls.submit({ ...workJob('slow', 1, 60_000), timeoutSeconds: 1, maxAttempts: 1 });
    const events = await collectEvents(fleet, jobId);
    const result = events.find((e) => e.event === 'shardResult')!.shardResult!;
    expect(result.state).toBe('SHARD_STATE_FAILED');
    expect(result.error).toBe('timed out after 1 s');
  });

  it('retries a failing shard up to max attempts, then fails the job with one final result', async () => {
    const { jobId } = await fleet.calls.submit({ ...workJob('fails', 1, 0), entrypoint: { command: process.execPath, args: ['-e', 'process.exit(3)'] }, maxAttempts: 2 });
    const events = await collectEvents(fleet, jobId);
    const finals = events.filter((e) => e.event === 'shardResult');
    expect(finals).toHaveLength(1);
    expect(finals[0]!.shardResult).toMatchObject({ state: 'SHARD_STATE_FAILED', attempt: 2, exitCode: 3, error: 'exit code 3' });
    expect(events.some((e) => e.event === 'shardState' && /attempt 1 failed: exit code 3; retrying as attempt 2/.test(e.shardState!.message))).toBe(true);
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_FAILED', failed: 1 });
  });
});
