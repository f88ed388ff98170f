/**
 * output-limits: how much of shards' output the scheduler keeps. Agents are untrusted and every
 * stored chunk is an etcd transaction, so the scheduler decides on receipt — before anything is
 * queued or written — what of a chunk it stores:
 *
 *   - per attempt, at most `attemptBytes` (the cap it tells the agent in AssignShard); the chunk
 *     that reaches it is cut there and carries the marker (`truncated` and a note), and
 *     nothing of that attempt is stored after it;
 *   - per job, at most `jobBytes` over all its attempts, cut the same way;
 *   - per attempt, a rate: a token bucket refilled at `rateBytesPerSec` holding at most
 *     `burstBytes`. A chunk that finds the bucket empty is dropped, never queued; the first of a
 *     run of drops leaves a marker saying so;
 *   - an agent that sends more than its attempt's cap plus FLOOD_MARGIN_BYTES ignored the cap it
 *     was told (an honest agent stops at it): the caller cuts that agent off.
 *
 * Pure bookkeeping in memory, per scheduler replica: no etcd, no gRPC, the clock passed in.
 */
import type { ShardRef } from '../../common/attempt.js';

/** OutputLimits are the scheduler's settings for stored output. */
export interface OutputLimits {
  attemptBytes: number;
  jobBytes: number;
  rateBytesPerSec: number;
  burstBytes: number;
}

/** DEFAULT_OUTPUT_LIMITS match the scheduler's documented defaults (config.ts). */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { attemptBytes: 1024 * 1024, jobBytes: 64 * 1024 * 1024, rateBytesPerSec: 64 * 1024, burstBytes: 512 * 1024 };

/**
 * FLOOD_MARGIN_BYTES: four of the agent's 16 KiB output batches. An honest agent sends at most
 * the cap it was told, so anything past it is an agent ignoring the cap; the margin only keeps a
 * rounding or a late flush from ever counting as a flood.
 */
export const FLOOD_MARGIN_BYTES = 64 * 1024;
/**
 * MIN_CHUNK_CHARGE: every stored chunk costs the bucket at least this much, whatever its size,
 * because each is an etcd transaction with its own key and revision (about 200 bytes of
 * overhead): a shard printing one byte per chunk gets at most rate / 1 KiB writes a second.
 * An honest agent batches output every 200 ms, so its small chunks stay far below the rate.
 */
export const MIN_CHUNK_CHARGE = 1024;
/**
 * MAX_TRACKED_ATTEMPTS / MAX_TRACKED_JOBS bound the bookkeeping (about 100 bytes an attempt); the
 * oldest are forgotten first. Accounts outlive their attempt on purpose: output an agent sends
 * after the attempt ended still counts against the cap it was told.
 */
const MAX_TRACKED_ATTEMPTS = 100_000;
const MAX_TRACKED_JOBS = 10_000;

/** StoredChunk is what to write for a received chunk: a prefix of its bytes and, when cut, the marker. */
export interface StoredChunk {
  data: Buffer;
  /** Output after this chunk is not stored (the attempt's or the job's cap, or the agent's own). */
  truncated: boolean;
  /** Why output was cut or dropped here, in words (a marker), when Tessera dropped some. */
  note?: string;
}

/** DropReason names why bytes were not stored. */
export type DropReason = 'attempt_cap' | 'job_cap' | 'rate' | 'stray';

/** OutputAdmission is the decision on one received chunk. */
export interface OutputAdmission {
  /** What to store, if anything (a marker alone has no data). */
  chunk?: StoredChunk;
  /** Bytes of the received chunk not stored, and why. */
  dropped: number;
  reason?: DropReason;
  /** Set when the agent sent past the cap it was told: cut it off. */
  flood?: Flood;
}

/** Flood says what an agent that ignored its cap did: `message` with the figures, `flag` the same for every repeat (a trust flag's detail). */
export interface Flood {
  message: string;
  flag: string;
}

interface AttemptOutput {
  received: number;
  stored: number;
  /** The attempt's stored output ended (a cap, or the agent's own truncation): store nothing more. */
  closed: boolean;
  /** The scheduler dropped some of this attempt's output (a cap or the rate). */
  cut: boolean;
  tokens: number;
  refilledAtMs: number;
  /** In a run of rate drops (its marker already written). */
  dropping: boolean;
}

const keyOf = (r: ShardRef): string => `${r.jobId}/${r.index}/${r.attempt}`;

/** OutputLimiter keeps per-attempt and per-job output accounts for one scheduler replica. */
export class OutputLimiter {
  private readonly attempts = new Map<string, AttemptOutput>();
  private readonly jobs = new Map<string, number>();
  private readonly stray = new Map<string, number>();

  constructor(
    readonly limits: OutputLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * admit decides on a chunk of a current attempt (one the scheduler expects from this worker):
   * `agentTruncated` is the agent's own "cut here" on the chunk.
   */
  admit(ref: ShardRef, data: Buffer, agentTruncated: boolean): OutputAdmission {
    const a = this.account(ref);
    a.received += data.length;
    const flood = this.floodOf(ref, a.received);
    if (flood) return { dropped: data.length, reason: 'attempt_cap', flood };
    if (a.closed) return { dropped: data.length, reason: 'attempt_cap' };
    const now = this.now();
    a.tokens = Math.min(this.limits.burstBytes, a.tokens + ((now - a.refilledAtMs) / 1000) * this.limits.rateBytesPerSec);
    a.refilledAtMs = now;
    // A chunk is admitted while the bucket holds anything and may overdraw it: chunks up to the
    // agent's message size (larger than any sensible burst) still pass, and the long-run rate holds.
    if (a.tokens <= 0) {
      a.cut = true;
      const first = !a.dropping;
      a.dropping = true;
      return {
        dropped: data.length,
        reason: 'rate',
        ...(first && { chunk: { data: Buffer.alloc(0), truncated: false, note: `output over the rate limit of ${bytes(this.limits.rateBytesPerSec)}/s (burst ${bytes(this.limits.burstBytes)}): chunks dropped until it slows down` } }),
      };
    }
    a.dropping = false;
    a.tokens -= Math.max(data.length, MIN_CHUNK_CHARGE);
    const jobStored = this.jobs.get(ref.jobId) ?? 0;
    if (jobStored === 0 && !this.jobs.has(ref.jobId) && this.jobs.size >= MAX_TRACKED_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
    const attemptRoom = this.limits.attemptBytes - a.stored;
    const jobRoom = this.limits.jobBytes - jobStored;
    const room = Math.max(0, Math.min(attemptRoom, jobRoom));
    const kept = data.length > room ? data.subarray(0, room) : data;
    a.stored += kept.length;
    this.jobs.set(ref.jobId, jobStored + kept.length);
    if (data.length > room) {
      a.closed = true;
      a.cut = true;
      const byJob = jobRoom < attemptRoom;
      const note = byJob
        ? `the job's output cap of ${bytes(this.limits.jobBytes)} is reached: this attempt's later output is dropped`
        : `output cap of ${bytes(this.limits.attemptBytes)} per attempt reached: later output dropped`;
      return { chunk: { data: kept, truncated: true, note }, dropped: data.length - kept.length, reason: byJob ? 'job_cap' : 'attempt_cap' };
    }
    if (agentTruncated) {
      // The agent cut at its own cap (it may be below the scheduler's): it sends nothing more.
      a.closed = true;
      return { chunk: { data: kept, truncated: true, note: `output cut by the worker at its cap, after ${bytes(a.stored)}` }, dropped: 0 };
    }
    return { chunk: { data: kept, truncated: false }, dropped: 0 };
  }

  /**
   * strayOutput accounts for output of an attempt the scheduler does not expect from this worker
   * (superseded, finished, or never assigned): nothing of it is stored. A known attempt counts it
   * against its own cap; an unknown one against the worker's stray allowance (one attempt's cap),
   * renewed at each connection.
   */
  strayOutput(workerId: string, ref: ShardRef, bytes: number): OutputAdmission {
    const known = this.attempts.get(keyOf(ref));
    if (known) {
      known.received += bytes;
      const flood = this.floodOf(ref, known.received);
      return { dropped: bytes, reason: 'stray', ...(flood && { flood }) };
    }
    const total = (this.stray.get(workerId) ?? 0) + bytes;
    this.stray.set(workerId, total);
    const over = total > this.limits.attemptBytes + FLOOD_MARGIN_BYTES;
    const flood: Flood = {
      message: `sent ${total} bytes of output for attempts not assigned to it, past the allowance of ${this.limits.attemptBytes} bytes`,
      flag: `output flood: sent output for attempts not assigned to it past the allowance of ${this.limits.attemptBytes} bytes`,
    };
    return { dropped: bytes, reason: 'stray', ...(over && { flood }) };
  }

  /** connected renews a worker's stray allowance. */
  connected(workerId: string): void {
    this.stray.delete(workerId);
  }

  /** cutShort: the scheduler dropped some of this attempt's output, so its record says truncated. */
  cutShort(ref: ShardRef): boolean {
    return this.attempts.get(keyOf(ref))?.cut ?? false;
  }

  /** receivedBytes is what the agent sent for an attempt (stored or not). */
  receivedBytes(ref: ShardRef): number {
    return this.attempts.get(keyOf(ref))?.received ?? 0;
  }

  private floodOf(ref: ShardRef, received: number): Flood | undefined {
    if (received <= this.limits.attemptBytes + FLOOD_MARGIN_BYTES) return undefined;
    const attempt = `${ref.jobId} shard ${ref.index} attempt ${ref.attempt}`;
    return {
      message: `sent ${received} bytes of output for ${attempt}, past the cap of ${this.limits.attemptBytes} bytes it was told`,
      flag: `output flood: sent output for ${attempt} past the cap of ${this.limits.attemptBytes} bytes it was told`,
    };
  }

  private account(ref: ShardRef): AttemptOutput {
    const key = keyOf(ref);
    let a = this.attempts.get(key);
    if (!a) {
      a = { received: 0, stored: 0, closed: false, cut: false, tokens: this.limits.burstBytes, refilledAtMs: this.now(), dropping: false };
      this.attempts.set(key, a);
      if (this.attempts.size > MAX_TRACKED_ATTEMPTS) this.attempts.delete(this.attempts.keys().next().value!);
    }
    return a;
  }
}

/** bytes prints a size the way the settings are written: "1 MiB", "64 KiB", "1000 bytes". */
function bytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
