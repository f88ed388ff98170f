/**
 * attempt-end: the rules for the end of an attempt, a gang rank's end, a cancel and a job's
 * finish, as pure functions. Each returns a plan — the job change to commit (shard transitions,
 * status, events), the attempts to stop on agents, the attempts whose use is metered, and the
 * worker outcomes for reputation — and touches nothing: the controller commits plans, and the
 * harness (test/unit/attempt-end.test.ts) checks them without processes or a store, as Nomad's
 * scheduler harness checks its plans.
 */
import type { AttemptEnd, ShardRef } from '../../common/attempt.js';
import { holdsWorker, isTerminalJob, isTerminalShard, type JobEventBody, type JobRecord, type JobState, type ShardRecord } from '../../common/job.js';
import { MAX_TXN_BYTES } from '../../store/kv.js';
import type { JobChange, Versioned } from '../../store/job-store.js';
import { describe, nextAttempt, resultEvent, retryable, succeeded, withEnd } from './outcome.js';

/** Plan is what one rule decided. */
export interface Plan {
  change: Omit<JobChange, 'job'> & { next?: JobRecord };
  /** Attempts to stop on their agents (a gang's other ranks, a cancelled job's running shards). */
  cancels: Array<{ workerId: string; ref: ShardRef; reason: string }>;
  /** Attempts that end with this change, as recorded before it: each running one is metered up to now. */
  ending: ShardRecord[];
  /** What the worker's record learns: a shard it completed, or one it lost (a non-zero exit is the job's doing). */
  outcome?: { workerId: string; kind: 'completed' | 'lost'; gpuHours: number };
}

/** BATCH_SHARDS: shard transitions per transaction (a record, a shard key and an event each, under etcd's 128 operations). */
export const BATCH_SHARDS = 60;

export function shardEvent(shard: ShardRecord, message: string): JobEventBody {
  return { kind: 'shard-state', index: shard.index, attempt: shard.attempt, state: shard.state, ...(shard.workerId && { workerId: shard.workerId }), message };
}

function outcomeOf(job: JobRecord, shard: ShardRecord, end: AttemptEnd, nowMs: number): Plan['outcome'] {
  if (!shard.workerId || !(succeeded(end) || end.lost)) return undefined;
  // Weighted by GPU-hours (a CPU-only shard counts as one GPU), so losing a day-long 8-GPU gang rank costs more than a short test.
  const hours = shard.startedAtMs ? Math.max(0, nowMs - shard.startedAtMs) / 3_600_000 : 0;
  return { workerId: shard.workerId, kind: end.lost ? 'lost' : 'completed', gpuHours: Math.max(1, job.spec.resources.gpuCount) * hours };
}

/** planAttemptEnd: an independent shard's attempt ended — success, retry, or give up. */
export function planAttemptEnd(job: JobRecord, shard: Versioned<ShardRecord>, end: AttemptEnd, nowMs: number): Plan {
  if (job.spec.partition.kind === 'gang') throw new Error('planAttemptEnd is for independent shards; gangs use planGangRankEnd');
  const s = shard.value;
  let next: ShardRecord;
  let event: JobEventBody;
  if (succeeded(end)) {
    next = withEnd(s, end, 'succeeded', nowMs);
    event = resultEvent(next);
  } else if (retryable(job, s, end)) {
    next = nextAttempt(s);
    event = shardEvent({ ...s, state: end.lost ? 'lost' : 'failed' }, `attempt ${s.attempt} ${end.lost ? 'lost' : 'failed'}: ${describe(end)}; retrying as attempt ${next.attempt}`);
  } else {
    next = withEnd(s, end, end.cancelled || job.cancelRequested ? 'cancelled' : 'failed', nowMs);
    event = resultEvent(next);
  }
  const outcome = outcomeOf(job, s, end, nowMs);
  return { change: { shards: [{ current: shard, next }], events: [event] }, cancels: [], ending: [s], ...(outcome && { outcome }) };
}

/**
 * planGangRankEnd: a gang rank's attempt ended. A success waits for the other ranks; the last
 * one marks the gang done (results are then written by planGangResults, in batches). A failure
 * or loss stops every rank: all restart together as the next attempt, or the gang gives up —
 * ranks that already succeeded keep their results, the others end cancelled.
 */
export function planGangRankEnd(job: JobRecord, ranks: Array<Versioned<ShardRecord>>, rank: Versioned<ShardRecord>, end: AttemptEnd, nowMs: number): Plan {
  const s = rank.value;
  const outcome = outcomeOf(job, s, end, nowMs);
  const withOutcome = (plan: Plan): Plan => (outcome ? { ...plan, outcome } : plan);
  if (succeeded(end)) {
    const next = withEnd(s, end, 'succeeded', nowMs);
    const others = ranks.filter((r) => r.value.index !== s.index);
    if (others.every((r) => r.value.state === 'succeeded' && r.value.attempt === s.attempt)) {
      // The last rank: every result is final. They are announced by planGangResults in
      // transactions that fit etcd's request limit (32 ranks × 64 KiB results do not fit one).
      return withOutcome({
        change: { shards: [{ current: rank, next }], next: { ...job, resultsEmitted: 0 }, events: [{ kind: 'job-state', state: job.state, message: `gang attempt ${s.attempt}: all ${ranks.length} ranks succeeded` }] },
        cancels: [],
        ending: [s],
      });
    }
    return withOutcome({ change: { shards: [{ current: rank, next }], events: [shardEvent(next, `rank ${s.index} finished; waiting for the other ranks`)] }, cancels: [], ending: [s] });
  }
  const reason = `rank ${s.index} ${end.lost ? 'lost' : 'failed'}: ${describe(end)}`;
  const cancels = ranks
    .filter((r) => r.value.index !== s.index && holdsWorker(r.value))
    .map((r) => ({ workerId: r.value.workerId!, ref: { jobId: job.id, index: r.value.index, attempt: r.value.attempt }, reason: `gang stopped: ${reason}` }));
  const ending = ranks.map((r) => r.value);
  if (retryable(job, s, end)) {
    return withOutcome({
      change: {
        next: { ...job, gangAttempt: (job.gangAttempt ?? 1) + 1 },
        shards: ranks.map((r) => ({ current: r, next: nextAttempt(r.value) })),
        events: [{ kind: 'job-state', state: job.state, message: `gang attempt ${s.attempt} stopped (${reason}); restarting all ${ranks.length} ranks as attempt ${s.attempt + 1}` }],
      },
      cancels,
      ending,
    });
  }
  const cancelled = job.cancelRequested || end.cancelled;
  const shards = ranks
    .filter((r) => r.value.index === s.index || !isTerminalShard(r.value.state))
    .map((r) => ({
      current: r,
      next: r.value.index === s.index ? withEnd(r.value, end, cancelled ? 'cancelled' : 'failed', nowMs) : withEnd(r.value, { cancelled: true, error: `gang stopped: ${reason}` }, 'cancelled', nowMs),
    }));
  return withOutcome({
    change: { next: { ...job, resultsEmitted: 0 }, shards, events: [{ kind: 'job-state', state: job.state, message: `gang attempt ${s.attempt} stopped (${reason}); no attempts left` }] },
    cancels,
    ending,
  });
}

/**
 * planGangResults: once every rank is final, the next batch of result events — as many ranks as
 * fit MAX_TXN_BYTES — and the count written so far on the job. Undefined when nothing is left.
 */
export function planGangResults(job: JobRecord, ranks: ShardRecord[]): Plan | undefined {
  const from = job.resultsEmitted;
  if (from === undefined || from >= ranks.length || !ranks.every((r) => isTerminalShard(r.state))) return undefined;
  const events: JobEventBody[] = [];
  let bytes = 0;
  for (const rank of ranks.slice(from)) {
    const event = resultEvent(rank);
    // etcd's limit is in bytes: a result of CJK text is three bytes a character.
    const size = Buffer.byteLength(JSON.stringify(event)) + 256;
    if (events.length > 0 && (bytes + size > MAX_TXN_BYTES / 2 || events.length >= BATCH_SHARDS)) break;
    events.push(event);
    bytes += size;
  }
  return { change: { next: { ...job, resultsEmitted: from + events.length }, events }, cancels: [], ending: [] };
}

/**
 * planCancel: a cancel was requested. Running attempts are told to stop (their ends come back as
 * reports); up to BATCH_SHARDS pending shards end cancelled in this change (call again for more).
 */
export function planCancel(job: JobRecord, pending: Array<Versioned<ShardRecord>>, holding: ShardRecord[], nowMs: number): Plan {
  const shards = pending.slice(0, BATCH_SHARDS).map((current) => ({ current, next: withEnd(current.value, { cancelled: true }, 'cancelled', nowMs) }));
  return {
    change: { shards, events: shards.map((s) => resultEvent(s.next)) },
    cancels: holding.filter(holdsWorker).map((s) => ({ workerId: s.workerId!, ref: { jobId: job.id, index: s.index, attempt: s.attempt }, reason: 'job cancelled' })),
    ending: [],
  };
}

/** planFinish: every shard is final (and a gang's results are written): the job's final state and summary, from its counts. */
export function planFinish(job: JobRecord, nowMs: number): Plan | undefined {
  if (isTerminalJob(job.state)) return undefined;
  const { succeeded: ok, failed, cancelled } = job.counts;
  if (ok + failed + cancelled < job.shardCount) return undefined;
  // A gang's results are still being written (planGangResults) until all are.
  if (job.resultsEmitted !== undefined && job.resultsEmitted < job.shardCount) return undefined;
  const state: JobState = failed > 0 ? 'failed' : cancelled > 0 ? 'cancelled' : 'succeeded';
  const wallMs = nowMs - job.createdAtMs;
  const message = `${state}: ${ok} succeeded, ${failed} failed, ${cancelled} cancelled in ${(wallMs / 1000).toFixed(1)} s`;
  return {
    change: { next: { ...job, state, finishedAtMs: nowMs }, events: [{ kind: 'job-state', state, message }, { kind: 'summary', state, succeeded: ok, failed, cancelled, wallMs, message }] },
    cancels: [],
    ending: [],
  };
}
