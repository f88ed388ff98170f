/**
 * outcome: what the end of a shard attempt means for the shard — pure functions, so the rules
 * (retry, give up, cancel) read in one place and are unit-tested without a store.
 */
import type { AttemptEnd } from '../../common/attempt.js';
import type { JobEventBody, JobRecord, ShardRecord, ShardState } from '../../common/job.js';

/** succeeded: exit 0, not cancelled, not timed out, not lost, and no error (an unreadable result file is one). */
export function succeeded(end: AttemptEnd): boolean {
  return end.exitCode === 0 && !end.cancelled && !end.timedOut && !end.lost && !end.signal && !end.error;
}

/** describe says in words how an attempt ended. */
export function describe(end: AttemptEnd): string {
  if (end.lost) return end.error ?? 'worker lost';
  if (end.cancelled) return 'cancelled';
  if (end.timedOut) return end.error ?? 'timed out';
  if (end.oomKilled) return end.error ?? 'killed by the OOM killer: over its memory limit';
  if (end.signal) return `killed by ${end.signal}`;
  if (end.exitCode !== 0) return `exit code ${end.exitCode ?? '?'}${end.error ? ` (${end.error})` : ''}`;
  return end.error ?? 'succeeded';
}

/** withEnd copies an attempt's facts onto the shard record. */
export function withEnd(shard: ShardRecord, end: AttemptEnd, state: ShardState, nowMs: number): ShardRecord {
  return {
    ...shard,
    state,
    finishedAtMs: nowMs,
    ...(end.exitCode !== undefined && { exitCode: end.exitCode }),
    ...(end.signal && { signal: end.signal }),
    ...(end.wallMs !== undefined && { wallMs: end.wallMs }),
    ...(end.peakRssKib !== undefined && { peakRssKib: end.peakRssKib }),
    ...(end.resultJson !== undefined && { result: end.resultJson }),
    ...(state !== 'succeeded' && { error: describe(end) }),
    ...(end.outputBytes !== undefined && { outputBytes: end.outputBytes }),
    ...(end.outputTruncated !== undefined && { outputTruncated: end.outputTruncated }),
  };
}

/** resultEvent is the one final-result event of a shard. */
export function resultEvent(shard: ShardRecord): JobEventBody {
  return {
    kind: 'shard-result',
    index: shard.index,
    attempt: shard.attempt,
    state: shard.state,
    ...(shard.exitCode !== undefined && { exitCode: shard.exitCode }),
    ...(shard.result !== undefined && { result: shard.result }),
    ...(shard.error !== undefined && { error: shard.error }),
    ...(shard.wallMs !== undefined && { wallMs: shard.wallMs }),
    ...(shard.peakRssKib !== undefined && { peakRssKib: shard.peakRssKib }),
    ...(shard.workerId !== undefined && { workerId: shard.workerId }),
  };
}

/** retryable: another attempt is allowed (not cancelled, attempts left). */
export function retryable(job: JobRecord, shard: ShardRecord, end: AttemptEnd): boolean {
  return !job.cancelRequested && !end.cancelled && shard.attempt < job.spec.maxAttempts;
}

/** nextAttempt resets a shard to pending for its next attempt. */
export function nextAttempt(shard: ShardRecord): ShardRecord {
  return { jobId: shard.jobId, index: shard.index, attempt: shard.attempt + 1, state: 'pending' };
}
