import { describe, expect, it } from 'vitest';
import { emptyCounts, jobSpecSchema, shardInputs, type JobRecord, type ShardRecord } from '../../src/common/job.js';
import { shardEnv } from '../../src/scheduler/jobs/env.js';
import { describe as describeEnd, nextAttempt, retryable, succeeded, withEnd } from '../../src/scheduler/jobs/outcome.js';

const spec = jobSpecSchema.parse({ name: 'j', entrypoint: { command: 'x' }, resources: {}, maxAttempts: 2, partition: { kind: 'gang', worldSize: 3 } });
const job: JobRecord = { id: 'j-0000000000000001', tenantId: 't', spec, state: 'running', shardCount: 3, counts: { ...emptyCounts(), running: 3 }, eventSeq: 1, cancelRequested: false, createdAtMs: 0, lease: '1', masterPort: 29_501 };
const shard: ShardRecord = { jobId: job.id, index: 1, attempt: 1, state: 'running', workerId: 'w-b', gpuIndices: [2, 3] };

describe('the end of an attempt', () => {
  it('counts only a clean exit 0 as success', () => {
    expect(succeeded({ exitCode: 0 })).toBe(true);
    expect(succeeded({ exitCode: 0, timedOut: true })).toBe(false);
    expect(succeeded({ exitCode: 0, signal: 'SIGKILL' })).toBe(false);
    expect(succeeded({ exitCode: 1 })).toBe(false);
  });

  it('retries while attempts remain, never a cancelled shard or job', () => {
    expect(retryable(job, shard, { exitCode: 1 })).toBe(true);
    expect(retryable(job, { ...shard, attempt: 2 }, { exitCode: 1 })).toBe(false);
    expect(retryable(job, shard, { cancelled: true })).toBe(false);
    expect(retryable({ ...job, cancelRequested: true }, shard, { lost: true })).toBe(false);
    expect(nextAttempt(shard)).toEqual({ jobId: job.id, index: 1, attempt: 2, state: 'pending' });
  });

  it('says how it ended in words', () => {
    expect(describeEnd({ exitCode: 3 })).toBe('exit code 3');
    expect(describeEnd({ lost: true, error: 'worker w-b lost (lease expired)' })).toBe('worker w-b lost (lease expired)');
    expect(describeEnd({ timedOut: true, error: 'timed out after 5 s' })).toBe('timed out after 5 s');
    expect(withEnd(shard, { exitCode: 3, wallMs: 12 }, 'failed', 5)).toMatchObject({ state: 'failed', exitCode: 3, wallMs: 12, error: 'exit code 3', finishedAtMs: 5 });
  });
});

describe('the environment of a shard', () => {
  it("gives a gang rank torchrun's contract and only its GPUs", () => {
    const env = shardEnv(job, shard, { workers: ['w-a', 'w-b', 'w-b'], masterAddress: '10.0.0.5', masterPort: 29_501 });
    expect(env).toMatchObject({ RANK: '1', WORLD_SIZE: '3', LOCAL_RANK: '0', LOCAL_WORLD_SIZE: '2', MASTER_ADDR: '10.0.0.5', MASTER_PORT: '29501', CUDA_VISIBLE_DEVICES: '2,3', TESSERA_SHARD_INDEX: '1', TESSERA_SHARD_COUNT: '3' });
    const rank2 = shardEnv(job, { ...shard, index: 2 }, { workers: ['w-a', 'w-b', 'w-b'], masterAddress: '10.0.0.5', masterPort: 29_501 });
    expect(rank2.LOCAL_RANK).toBe('1');
  });

  it('hands each independent shard its contiguous slice of the inputs', () => {
    const inputs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const slices = [0, 1, 2].map((i) => shardInputs(inputs, 3, i));
    expect(slices).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]);
    const independent = jobSpecSchema.parse({ name: 'm', entrypoint: { command: 'x' }, resources: {}, partition: { kind: 'independent', shardCount: 3, inputs } });
    const env = shardEnv({ ...job, spec: independent }, { ...shard, gpuIndices: [] });
    expect(JSON.parse(env.TESSERA_SHARD_INPUTS!)).toEqual(['d', 'e']);
    expect(env.CUDA_VISIBLE_DEVICES).toBe('');
    expect(env.RANK).toBeUndefined();
  });
});
