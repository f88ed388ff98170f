/**
 * shard-updates: validates what an agent says about its shards before the controller sees it.
 * Agents are untrusted: every size is bounded and every reference checked for shape.
 */
import type { ShardUpdate } from '../gen/tessera/v1/ShardUpdate.js';
import { InvalidArgument } from '../common/errors.js';
import type { AttemptEnd } from './jobs/outcome.js';
import type { ShardRef } from './jobs/controller.js';

/** MAX_RESULT_BYTES: a shard's structured result is a summary, not a data set (64 KiB). */
export const MAX_RESULT_BYTES = 64 * 1024;
const JOB_ID = /^j-[0-9a-f]{16}$/;

/** refFromWire checks a shard reference. */
export function refFromWire(ref: { jobId: string; index: number; attempt: number } | null, field: string): ShardRef {
  if (!ref || !JOB_ID.test(ref.jobId)) throw new InvalidArgument(`${field}.job_id`, 'expected a job id such as j-0123456789abcdef');
  if (ref.attempt < 1) throw new InvalidArgument(`${field}.attempt`, 'expected an attempt number from 1');
  return { jobId: ref.jobId, index: ref.index, attempt: ref.attempt };
}

/** ParsedUpdate is a validated shard update. */
export type ParsedUpdate =
  | { kind: 'started'; ref: ShardRef; startedAtMs: number; agentStartedAtMs: number }
  | { kind: 'output'; ref: ShardRef; stream: 'stdout' | 'stderr'; data: Buffer; truncated: boolean }
  | { kind: 'finished'; ref: ShardRef; end: AttemptEnd }
  | { kind: 'rejected'; ref: ShardRef; reason: string };

export function parseShardUpdate(update: ShardUpdate): ParsedUpdate {
  const ref = refFromWire(update.shard, 'shard_update.shard');
  switch (update.update) {
    case 'started':
      return { kind: 'started', ref, startedAtMs: Date.now(), agentStartedAtMs: update.started!.startedUnixMs };
    case 'output': {
      const o = update.output!;
      if (o.stream !== 'stdout' && o.stream !== 'stderr') throw new InvalidArgument('shard_update.output.stream', 'expected stdout or stderr');
      return { kind: 'output', ref, stream: o.stream, data: o.data, truncated: o.truncated };
    }
    case 'finished': {
      const f = update.finished!;
      if (Buffer.byteLength(f.resultJson) > MAX_RESULT_BYTES) throw new InvalidArgument('shard_update.finished.result_json', `expected at most ${MAX_RESULT_BYTES} bytes`);
      const end: AttemptEnd = {
        exitCode: f.exitCode,
        ...(f.signal && { signal: f.signal.slice(0, 32) }),
        ...(f.error && { error: f.error.slice(0, 1024) }),
        cancelled: f.cancelled,
        timedOut: f.timedOut,
        ...(f.resultJson && { resultJson: f.resultJson }),
        wallMs: f.wallMs,
        peakRssKib: f.peakRssKib,
        outputBytes: f.outputBytes,
        outputTruncated: f.outputTruncated,
        ...(f.oomKilled && { oomKilled: true }),
      };
      return { kind: 'finished', ref, end };
    }
    case 'rejected':
      return { kind: 'rejected', ref, reason: update.rejected!.slice(0, 1024) };
    case undefined:
      throw new InvalidArgument('shard_update.update', 'expected started, output, finished or rejected');
  }
}
