import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttemptEnd } from '../../src/common/attempt.js';
import { emptyCounts, isTerminalShard } from '../../src/common/job.js';
import { BATCH_SHARDS, planCancel, planFinish, planGangResults } from '../../src/scheduler/jobs/attempt-end.js';
import { MAX_TXN_BYTES } from '../../src/store/kv.js';
import { AttemptHarness } from '../support/attempt-harness.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2);
const independent = (shardCount: number, maxAttempts = 3, gpuCount = 0): AttemptHarness => new AttemptHarness({ maxAttempts, gpuCount, partition: { kind: 'independent', shardCount } });
const gang = (worldSize: number, maxAttempts = 3): AttemptHarness => {
  const h = new AttemptHarness({ maxAttempts, partition: { kind: 'gang', worldSize } });
  for (let rank = 0; rank < worldSize; rank++) h.start(rank, `w-${rank}`);
  return h;
};
const lastEvent = (h: AttemptHarness) => h.events.at(-1)!;

describe('an independent shard', () => {
  it('succeeds with one result event carrying its result', () => {
    const h = independent(2);
    h.start(0, 'w-a', 1_000);
    h.end(0, { exitCode: 0, resultJson: '{"loss":0.1}', wallMs: 900 }, 2_000);
    expect(h.shard(0).value).toMatchObject({ state: 'succeeded', attempt: 1, result: '{"loss":0.1}' });
    expect(h.results()).toEqual([expect.objectContaining({ index: 0, attempt: 1, state: 'succeeded', result: '{"loss":0.1}', workerId: 'w-a', wallMs: 900 })]);
    expect(h.job.counts).toEqual({ ...emptyCounts(), pending: 1, succeeded: 1 });
    expect(h.metered.map((s) => [s.index, s.attempt])).toEqual([[0, 1]]);
    expect(h.outcomes).toEqual([{ workerId: 'w-a', kind: 'completed', gpuHours: expect.any(Number) as number }]);
  });

  it('is retried as the next attempt while attempts are left, then fails', () => {
    const h = independent(1, 2);
    h.start(0, 'w-a');
    h.end(0, { exitCode: 3 });
    expect(h.shard(0).value).toEqual({ jobId: h.job.id, index: 0, attempt: 2, state: 'pending' });
    expect(lastEvent(h)).toMatchObject({ kind: 'shard-state', index: 0, attempt: 1, state: 'failed', message: expect.stringMatching(/exit code 3.*retrying as attempt 2/) as string });
    expect(h.results()).toEqual([]);
    expect(h.settle()).toEqual([]);

    h.start(0, 'w-b');
    h.end(0, { exitCode: 3 });
    expect(h.shard(0).value).toMatchObject({ state: 'failed', attempt: 2, error: 'exit code 3' });
    expect(h.results()).toEqual([expect.objectContaining({ index: 0, attempt: 2, state: 'failed', workerId: 'w-b' })]);
    h.settle();
    expect(h.job.state).toBe('failed');
    expect(h.summaries()).toEqual([expect.objectContaining({ state: 'failed', succeeded: 0, failed: 1, cancelled: 0 })]);
  });

  it("is retried when its worker is lost, and the worker's record learns of a loss weighted by GPU-hours", () => {
    const h = independent(1, 3, 4);
    h.start(0, 'w-a', T0);
    h.end(0, { lost: true, error: 'worker w-a lost (lease expired)' }, T0 + 2 * HOUR);
    expect(h.shard(0).value).toMatchObject({ state: 'pending', attempt: 2 });
    expect(lastEvent(h)).toMatchObject({ state: 'lost', message: expect.stringContaining('worker w-a lost') as string });
    expect(h.outcomes).toEqual([{ workerId: 'w-a', kind: 'lost', gpuHours: 8 }]);
    // A CPU-only shard counts as one GPU.
    const cpu = independent(1);
    cpu.start(0, 'w-c', T0);
    cpu.end(0, { lost: true }, T0 + HOUR / 2);
    expect(cpu.outcomes).toEqual([{ workerId: 'w-c', kind: 'lost', gpuHours: 0.5 }]);
  });

  it.each<[string, AttemptEnd, boolean]>([
    ['cancelled by its agent', { cancelled: true, exitCode: 143 }, false],
    ['failing after the job was cancelled', { exitCode: 1 }, true],
    ['lost after the job was cancelled', { lost: true }, true],
  ])('ends cancelled, never retried, when %s', (_, end, cancelRequested) => {
    const h = independent(1, 3);
    h.start(0, 'w-a');
    if (cancelRequested) h.requestCancel();
    h.end(0, end);
    expect(h.shard(0).value).toMatchObject({ state: 'cancelled', attempt: 1 });
    expect(h.results()).toEqual([expect.objectContaining({ state: 'cancelled', attempt: 1 })]);
    h.settle();
    expect(h.job).toMatchObject({ state: 'cancelled', counts: { ...emptyCounts(), cancelled: 1 } });
  });
});

describe('a gang', () => {
  it('waits for the other ranks after a rank succeeds', () => {
    const h = gang(3);
    h.end(0, { exitCode: 0, resultJson: '{"rank":0}' });
    expect(lastEvent(h)).toMatchObject({ kind: 'shard-state', index: 0, state: 'succeeded', message: expect.stringContaining('waiting for the other ranks') as string });
    expect(h.job.resultsEmitted).toBeUndefined();
    expect(h.results()).toEqual([]);
    expect(h.settle()).toEqual([]);
    expect(h.job.state).toBe('running');
  });

  it('writes every result once the last rank succeeds, then finishes succeeded', () => {
    const h = gang(3);
    for (const rank of [2, 0, 1]) h.end(rank, { exitCode: 0, resultJson: `{"rank":${rank}}` });
    expect(h.job.resultsEmitted).toBe(0);
    h.settle();
    expect(h.results().map((e) => e.result)).toEqual(['{"rank":0}', '{"rank":1}', '{"rank":2}']);
    expect(h.job.state).toBe('succeeded');
    expect(h.summaries()).toEqual([expect.objectContaining({ state: 'succeeded', succeeded: 3, failed: 0, cancelled: 0 })]);
  });

  // 32 ranks × 64,000 characters do not fit one etcd request; nor do 32 × 63,000 bytes of CJK text
  // (etcd counts bytes, and a character there is three).
  it.each([
    ['ASCII', (rank: number) => JSON.stringify({ rank, text: 'x'.repeat(64_000) })],
    ['CJK', (rank: number) => JSON.stringify({ rank, text: '語'.repeat(21_000) })],
  ])('writes large %s results in batches that fit a transaction, each rank once and in order', (_, result) => {
    const h = gang(32);
    for (let rank = 0; rank < 32; rank++) h.end(rank, { exitCode: 0, resultJson: result(rank) });
    const batches = [];
    for (let plan = planGangResults(h.job, h.shards().map((s) => s.value)); plan; plan = planGangResults(h.job, h.shards().map((s) => s.value))) {
      expect(planFinish(h.job, 0)).toBeUndefined();
      batches.push(plan.change.events!);
      expect(plan.change.events!.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0)).toBeLessThanOrEqual(MAX_TXN_BYTES / 2);
      h.apply(plan);
    }
    expect(batches.length).toBeGreaterThan(1);
    expect(h.job.resultsEmitted).toBe(32);
    expect(h.results().map((e) => [e.index, e.result])).toEqual(Array.from({ length: 32 }, (_, rank) => [rank, result(rank)]));
    h.apply(planFinish(h.job, 5_000)!);
    expect(h.job.state).toBe('succeeded');
    expect(h.summaries()).toEqual([expect.objectContaining({ state: 'succeeded', succeeded: 32 })]);
  });

  it('restarts every rank as the next attempt when one fails with attempts left, stopping the others', () => {
    const h = gang(4, 2);
    h.end(1, { exitCode: 0, resultJson: '{}' });
    h.end(2, { exitCode: 1 });
    expect(h.shards().map((s) => [s.value.state, s.value.attempt])).toEqual(Array(4).fill(['pending', 2]));
    expect(h.job).toMatchObject({ gangAttempt: 2, counts: { ...emptyCounts(), pending: 4 } });
    expect(h.job.resultsEmitted).toBeUndefined();
    expect(h.cancels).toEqual([0, 3].map((rank) => ({ workerId: `w-${rank}`, ref: { jobId: h.job.id, index: rank, attempt: 1 }, reason: expect.stringContaining('rank 2 failed') as string })));
    expect(lastEvent(h)).toMatchObject({ kind: 'job-state', message: expect.stringContaining('restarting all 4 ranks as attempt 2') as string });
    // Each attempt's use is metered once: rank 1 at its own end, the others at the restart.
    expect(h.metered.map((s) => s.index).sort()).toEqual([0, 1, 2, 3]);
    expect(h.results()).toEqual([]);
  });

  it('gives up with no attempts left: finished ranks keep their results, the rest end cancelled', () => {
    const h = gang(4, 1);
    h.end(0, { exitCode: 0, resultJson: '{"rank":0}' });
    h.end(2, { exitCode: 1 });
    expect(h.shards().map((s) => s.value.state)).toEqual(['succeeded', 'cancelled', 'failed', 'cancelled']);
    expect(h.cancels.map((c) => c.ref.index)).toEqual([1, 3]);
    expect(h.job.resultsEmitted).toBe(0);
    expect(planFinish(h.job, 0)).toBeUndefined();
    h.settle();
    expect(h.results().map((e) => [e.index, e.state])).toEqual([[0, 'succeeded'], [1, 'cancelled'], [2, 'failed'], [3, 'cancelled']]);
    expect(h.results(0)[0]!.result).toBe('{"rank":0}');
    expect(h.job.state).toBe('failed');
    expect(h.summaries()).toEqual([expect.objectContaining({ state: 'failed', succeeded: 1, failed: 1, cancelled: 2 })]);
  });
});

describe('a cancel', () => {
  it('cancels pending shards a batch at a time, stops running ones, and finishes the job cancelled', () => {
    const h = independent(150);
    for (const i of [0, 1, 2]) h.start(i, `w-${i}`);
    h.requestCancel();
    let plans = 0;
    for (let pending = h.pending(); pending.length > 0; pending = h.pending(), plans++) {
      const plan = planCancel(h.job, pending, h.shards().map((s) => s.value), 0);
      expect(plan.change.shards!.length).toBe(Math.min(BATCH_SHARDS, pending.length));
      expect(plan.cancels.map((c) => [c.workerId, c.ref.index, c.reason])).toEqual([0, 1, 2].map((i) => [`w-${i}`, i, 'job cancelled']));
      h.apply(plan);
    }
    expect(plans).toBe(3);
    expect(planFinish(h.job, 0)).toBeUndefined();
    // The agents stop two; one attempt finished before the stop reached it.
    h.end(0, { cancelled: true });
    h.end(1, { cancelled: true });
    h.end(2, { exitCode: 0 });
    h.settle();
    expect(h.job).toMatchObject({ state: 'cancelled', counts: { ...emptyCounts(), succeeded: 1, cancelled: 149 } });
    expect(h.summaries()).toEqual([expect.objectContaining({ state: 'cancelled', succeeded: 1, failed: 0, cancelled: 149 })]);
    expect(h.results()).toHaveLength(150);
  });
});

describe('the finish', () => {
  it('waits for every shard to be final', () => {
    const h = independent(2);
    h.start(0, 'w-a');
    h.start(1, 'w-b');
    h.end(0, { exitCode: 0 });
    expect(planFinish(h.job, 0)).toBeUndefined();
    h.end(1, { exitCode: 0 });
    expect(planFinish(h.job, 0)?.change.next).toMatchObject({ state: 'succeeded', finishedAtMs: 0 });
  });

  it('reads the counts on the job, not its shards', () => {
    const job = independent(10_000).job;
    expect(planFinish({ ...job, counts: { ...emptyCounts(), succeeded: 9_999, running: 1 } }, 0)).toBeUndefined();
    const plan = planFinish({ ...job, createdAtMs: 1_000, counts: { ...emptyCounts(), succeeded: 9_000, failed: 1, cancelled: 999 } }, 61_000)!;
    expect(plan.change.next?.state).toBe('failed');
    expect(plan.change.events).toContainEqual({ kind: 'summary', state: 'failed', succeeded: 9_000, failed: 1, cancelled: 999, wallMs: 60_000, message: expect.any(String) as string });
    expect(planFinish({ ...job, state: 'failed', counts: { ...emptyCounts(), failed: 10_000 } }, 0)).toBeUndefined();
  });

  it("waits for a gang's results to be written", () => {
    const job = gang(4).job;
    const done = { ...job, counts: { ...emptyCounts(), succeeded: 4 } };
    expect(planFinish({ ...done, resultsEmitted: 0 }, 0)).toBeUndefined();
    expect(planFinish({ ...done, resultsEmitted: 3 }, 0)).toBeUndefined();
    expect(planFinish({ ...done, resultsEmitted: 4 }, 0)?.change.next?.state).toBe('succeeded');
  });
});

const attemptEnd: fc.Arbitrary<AttemptEnd> = fc.oneof(
  fc.record({ exitCode: fc.constant(0), resultJson: fc.json({ maxDepth: 1 }) }),
  fc.record({ exitCode: fc.integer({ min: 1, max: 255 }) }),
  fc.constant({ lost: true, error: 'worker lost' }),
  fc.constant({ cancelled: true }),
  fc.constant({ timedOut: true, error: 'timed out' }),
  fc.constant({ exitCode: 0, signal: 'SIGKILL' }),
);
const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('start' as const), index: fc.nat(7) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('end' as const), index: fc.nat(7), end: attemptEnd }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
);

describe('any sequence of attempt ends', () => {
  it('keeps counts whole, writes one result per finished shard, meters each attempt once and finishes the job once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.array(step, { maxLength: 40 }), fc.array(attemptEnd, { minLength: 1, maxLength: 5 }), (shardCount, maxAttempts, steps, drain) => {
        const h = independent(shardCount, maxAttempts);
        let starts = 0;
        const check = (): void => {
          expect(Object.values(h.job.counts).reduce((a, b) => a + b, 0)).toBe(shardCount);
          expect(h.job.counts).toEqual(h.recount());
          for (const { value: s } of h.shards()) {
            expect(s.attempt).toBeLessThanOrEqual(maxAttempts);
            const results = h.results(s.index);
            expect(results).toEqual(isTerminalShard(s.state) ? [expect.objectContaining({ attempt: s.attempt, state: s.state })] : []);
          }
          const finished = ['succeeded', 'failed', 'cancelled'].includes(h.job.state);
          expect(h.summaries()).toHaveLength(finished ? 1 : 0);
          if (finished) expect(h.terminal()).toBe(true);
        };
        const start = (index: number): void => {
          if (h.job.cancelRequested || h.shard(index).value.state !== 'pending') return;
          h.start(index, `w-${starts++ % 3}`);
        };
        const end = (index: number, e: AttemptEnd): void => {
          if (h.shard(index).value.state !== 'running') return;
          h.end(index, e);
          h.settle();
        };
        for (const s of steps) {
          if (s.kind === 'start') start(s.index % shardCount);
          else if (s.kind === 'end') end(s.index % shardCount, s.end);
          else if (!h.job.cancelRequested && h.summaries().length === 0) {
            h.requestCancel();
            h.settle();
          }
          check();
        }
        // Run the job out: every round ends each attempt, so it finishes within maxAttempts rounds.
        for (let round = 0, k = 0; round <= maxAttempts && h.summaries().length === 0; round++) {
          for (let i = 0; i < shardCount; i++) start(i);
          for (let i = 0; i < shardCount; i++) end(i, drain[k++ % drain.length]!);
          check();
        }
        expect(h.summaries()).toHaveLength(1);
        expect(h.settle()).toEqual([]);
        expect(h.metered).toHaveLength(starts);
        expect(new Set(h.metered.map((s) => `${s.index}/${s.attempt}`)).size).toBe(starts);
      }),
      { numRuns: 300 },
    );
  });
});
