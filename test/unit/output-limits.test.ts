/**
 * The scheduler's output bookkeeping on its own: chunks in, what to store (and markers) out,
 * with a hand-driven clock.
 */
import { describe, expect, it } from 'vitest';
import { FLOOD_MARGIN_BYTES, MIN_CHUNK_CHARGE, OutputLimiter, type OutputLimits } from '../../src/scheduler/jobs/output-limits.js';

const KiB = 1024;
const ref = { jobId: 'j-0000000000000001', index: 0, attempt: 1 };
const bytes = (n: number): Buffer => Buffer.alloc(n, 0x78);

function limiter(limits: Partial<OutputLimits> = {}): { out: OutputLimiter; tick: (ms: number) => void } {
  let now = 0;
  const out = new OutputLimiter({ attemptBytes: 64 * KiB, jobBytes: 1024 * KiB, rateBytesPerSec: 1024 * KiB, burstBytes: 1024 * KiB, ...limits }, () => now);
  return { out, tick: (ms) => (now += ms) };
}

describe('OutputLimiter', () => {
  it('stores up to the attempt cap, cuts the chunk that crosses it with one marker, then stores nothing', () => {
    const { out } = limiter();
    expect(out.admit(ref, bytes(40 * KiB), false).chunk).toMatchObject({ truncated: false });
    const cut = out.admit(ref, bytes(40 * KiB), false);
    expect(cut.chunk!.data.length).toBe(24 * KiB);
    expect(cut.chunk).toMatchObject({ truncated: true, note: 'output cap of 64 KiB per attempt reached: later output dropped' });
    expect(cut).toMatchObject({ dropped: 16 * KiB, reason: 'attempt_cap' });
    expect(out.admit(ref, bytes(KiB), false)).toEqual({ dropped: KiB, reason: 'attempt_cap' });
    expect(out.cutShort(ref)).toBe(true);
  });

  it('counts the job over its attempts', () => {
    const { out } = limiter({ jobBytes: 100 * KiB });
    out.admit(ref, bytes(60 * KiB), false);
    const other = out.admit({ ...ref, index: 1 }, bytes(60 * KiB), false);
    expect(other.chunk!.data.length).toBe(40 * KiB);
    expect(other.chunk!.note).toBe("the job's output cap of 100 KiB is reached: this attempt's later output is dropped");
    expect(other.reason).toBe('job_cap');
  });

  it('passes the agent’s own cut through as the marker, without calling it a drop', () => {
    const { out } = limiter();
    const admission = out.admit(ref, bytes(4 * KiB), true);
    expect(admission).toMatchObject({ dropped: 0, chunk: { truncated: true, note: 'output cut by the worker at its cap, after 4 KiB' } });
    expect(out.cutShort(ref)).toBe(false);
  });

  it('drops chunks on an empty bucket, with a marker only at the start of each run of drops', () => {
    const { out, tick } = limiter({ attemptBytes: 1024 * KiB, rateBytesPerSec: 16 * KiB, burstBytes: 32 * KiB });
    expect(out.admit(ref, bytes(32 * KiB), false).chunk!.data.length).toBe(32 * KiB);
    const first = out.admit(ref, bytes(8 * KiB), false);
    expect(first).toMatchObject({ dropped: 8 * KiB, reason: 'rate', chunk: { data: Buffer.alloc(0), truncated: false } });
    expect(first.chunk!.note).toMatch(/rate limit of 16 KiB\/s \(burst 32 KiB\)/);
    expect(out.admit(ref, bytes(8 * KiB), false)).toEqual({ dropped: 8 * KiB, reason: 'rate' });
    tick(1000);
    expect(out.admit(ref, bytes(8 * KiB), false).chunk).toMatchObject({ truncated: false, data: bytes(8 * KiB) });
    // A one-byte chunk costs the bucket MIN_CHUNK_CHARGE: tiny chunks cannot buy many writes.
    // The bucket holds 8 KiB left over and 16 KiB refilled: 24 one-byte chunks, not 24 Ki of them.
    tick(1000);
    let stored = 0;
    for (let i = 0; i < 100; i++) if (out.admit(ref, bytes(1), false).chunk?.data.length) stored++;
    expect(stored).toBe((24 * KiB) / MIN_CHUNK_CHARGE);
  });

  it('calls it a flood once an attempt has sent more than its cap and the margin, stored or not', () => {
    const { out } = limiter();
    expect(out.admit(ref, bytes(64 * KiB), false).flood).toBeUndefined();
    expect(out.admit(ref, bytes(FLOOD_MARGIN_BYTES), false).flood).toBeUndefined();
    const flood = out.admit(ref, bytes(1), false).flood!;
    expect(flood.message).toBe(`sent ${128 * KiB + 1} bytes of output for j-0000000000000001 shard 0 attempt 1, past the cap of 65536 bytes it was told`);
    expect(flood.flag).toBe('output flood: sent output for j-0000000000000001 shard 0 attempt 1 past the cap of 65536 bytes it was told');
    // Late output of a known attempt keeps counting against it.
    expect(out.strayOutput('w-0000000000000001', ref, 1).flood).toBeDefined();
  });

  it('allows a worker one cap of output for attempts it does not hold, renewed at each connection', () => {
    const { out } = limiter();
    const stranger = { jobId: 'j-00000000000000ff', index: 3, attempt: 9 };
    expect(out.strayOutput('w-0000000000000001', stranger, 64 * KiB + FLOOD_MARGIN_BYTES)).toEqual({ dropped: 64 * KiB + FLOOD_MARGIN_BYTES, reason: 'stray' });
    expect(out.strayOutput('w-0000000000000001', stranger, 1).flood).toBeDefined();
    out.connected('w-0000000000000001');
    expect(out.strayOutput('w-0000000000000001', stranger, 1).flood).toBeUndefined();
  });
});
