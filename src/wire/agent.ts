/**
 * agent: agent.proto — what the scheduler and an agent say on the Connect stream — between wire
 * and domain types. What an agent sends is validated here: agents are untrusted, so every size is
 * bounded, every reference checked for shape, and errors name the field ("hello.hardware.gpus[0].name").
 */
import type { AssignShard, AssignShardWire } from '../gen/tessera/v1/AssignShard.js';
import type { ChallengeCommit, ChallengeCommitWire } from '../gen/tessera/v1/ChallengeCommit.js';
import type { ChallengeTile, ChallengeTileWire } from '../gen/tessera/v1/ChallengeTile.js';
import type { ComputeChallenge, ComputeChallengeWire } from '../gen/tessera/v1/ComputeChallenge.js';
import type { Hello } from '../gen/tessera/v1/Hello.js';
import type { JoinRequest } from '../gen/tessera/v1/JoinRequest.js';
import type { RevealTiles, RevealTilesWire } from '../gen/tessera/v1/RevealTiles.js';
import type { ShardUpdate, ShardUpdateWire } from '../gen/tessera/v1/ShardUpdate.js';
import { JOB_ID_PATTERN, MAX_RESULT_BYTES, type Assignment, type AttemptEnd, type ShardRef, type ShardReport } from '../common/attempt.js';
import type { ChallengeCommitment, ChallengeRequest, RevealRequest, TileAnswer } from '../common/challenge.js';
import { InvalidArgument } from '../common/errors.js';
import { fromZod } from '../common/grpc.js';
import type { JobRecord, ShardRecord } from '../common/job.js';
import { workerReportSchema, WORKER_ID_PATTERN, type WorkerReport } from '../common/worker.js';
import { splitJoinToken } from '../store/join-tokens.js';
import { entrypointFromWire, entrypointToWire } from './job.js';
import { hardwareFromWire } from './worker.js';

/** reportFromJoin validates a JoinRequest; errors name the field ("hardware.gpus[0].name"). */
export function reportFromJoin(request: JoinRequest): { token: string; report: WorkerReport } {
  if (request.joinToken === '') throw new InvalidArgument('join_token', 'expected the join token from `tessera join-token create`');
  if (request.joinToken.length > 512) throw new InvalidArgument('join_token', 'expected at most 512 characters');
  // The token may carry the CA pin after a dot (it is the agent's business); the store hashed the rest.
  return { token: splitJoinToken(request.joinToken).secret, report: validateReport(request, request.name, '') };
}

/** reportFromHello validates a Hello; errors name the field under "hello.". */
export function reportFromHello(hello: Hello, workerName: string): { workerId: string; report: WorkerReport } {
  if (!WORKER_ID_PATTERN.test(hello.workerId)) throw new InvalidArgument('hello.worker_id', 'expected the worker id returned by Join (w- and 16 hex digits)');
  return { workerId: hello.workerId, report: validateReport(hello, workerName, 'hello') };
}

function validateReport(
  source: { region: string; labels: Record<string, string>; hardware: Parameters<typeof hardwareFromWire>[0]; agentVersion?: string; isolation?: { sandboxed: boolean; detail: string } | null },
  name: string,
  prefix: string,
): WorkerReport {
  const parsed = workerReportSchema.safeParse({
    name,
    region: source.region,
    labels: source.labels,
    hardware: hardwareFromWire(source.hardware),
    agentVersion: source.agentVersion ?? '',
    isolation: source.isolation ? { sandboxed: source.isolation.sandboxed, detail: source.isolation.detail } : undefined,
  });
  if (!parsed.success) throw fromZod(parsed.error, prefix);
  return parsed.data;
}

/** refFromWire checks a shard reference an agent sent. */
export function refFromWire(ref: { jobId: string; index: number; attempt: number } | null, field: string): ShardRef {
  if (!ref || !JOB_ID_PATTERN.test(ref.jobId)) throw new InvalidArgument(`${field}.job_id`, 'expected a job id such as j-0123456789abcdef');
  if (ref.attempt < 1) throw new InvalidArgument(`${field}.attempt`, 'expected an attempt number from 1');
  return { jobId: ref.jobId, index: ref.index, attempt: ref.attempt };
}

/** shardReportFromWire validates what an agent says about a shard before the controller sees it. */
export function shardReportFromWire(update: ShardUpdate): ShardReport {
  const ref = refFromWire(update.shard, 'shard_update.shard');
  switch (update.update) {
    case 'started':
      return { kind: 'started', ref, pid: update.started!.pid, startedAtMs: update.started!.startedUnixMs };
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

/** shardReportToWire is the ShardUpdate an agent sends for a report. */
export function shardReportToWire(report: ShardReport): ShardUpdateWire {
  const shard = report.ref;
  switch (report.kind) {
    case 'started':
      return { shard, started: { pid: report.pid, startedUnixMs: report.startedAtMs } };
    case 'output':
      return { shard, output: { stream: report.stream, data: report.data, truncated: report.truncated } };
    case 'finished': {
      const e = report.end;
      return {
        shard,
        finished: {
          exitCode: e.exitCode,
          signal: e.signal,
          wallMs: e.wallMs,
          peakRssKib: e.peakRssKib,
          resultJson: e.resultJson,
          error: e.error,
          cancelled: e.cancelled,
          timedOut: e.timedOut,
          outputBytes: e.outputBytes,
          outputTruncated: e.outputTruncated,
          oomKilled: e.oomKilled,
        },
      };
    }
    case 'rejected':
      return { shard, rejected: report.reason };
  }
}

/** assignToWire builds the AssignShard message for an agent; `maxOutputBytes` is the scheduler's output cap for the attempt. */
export function assignToWire(job: JobRecord, shard: ShardRecord, env: Record<string, string>, maxOutputBytes?: number): AssignShardWire {
  const limits = { cpuCores: job.spec.resources.cpuCores, memoryMib: job.spec.resources.memoryMib, gpuIndices: shard.gpuIndices ?? [] };
  return { shard: { jobId: job.id, index: shard.index, attempt: shard.attempt }, entrypoint: entrypointToWire(job.spec), env, timeoutSeconds: job.spec.timeoutSeconds, limits, ...(maxOutputBytes !== undefined && { maxOutputBytes }) };
}

/** assignmentFromWire is the agent's view of an AssignShard; undefined when it names no shard. */
export function assignmentFromWire(message: AssignShard): Assignment | undefined {
  const { shard, limits } = message;
  if (!shard) return undefined;
  return {
    ref: { jobId: shard.jobId, index: shard.index, attempt: shard.attempt },
    entrypoint: entrypointFromWire(message.entrypoint),
    env: message.env,
    timeoutSeconds: message.timeoutSeconds,
    limits: { cpuCores: limits?.cpuCores ?? 0, memoryMib: limits?.memoryMib ?? 0, gpuIndices: limits?.gpuIndices ?? [] },
    maxOutputBytes: message.maxOutputBytes,
  };
}

/** challengeRequestToWire is the ComputeChallenge the scheduler sends. */
export function challengeRequestToWire(c: ChallengeRequest): ComputeChallengeWire {
  const s = c.shape;
  return {
    challengeId: c.challengeId,
    seed: c.seed,
    precision: c.precision,
    gpuIndex: c.gpuIndex,
    gpuUuid: c.gpuUuid,
    deadlineMs: c.deadlineMs,
    inner: s.inner,
    tileRows: s.tileRows,
    tileCols: s.tileCols,
    rowTiles: s.rowTiles,
    colTiles: s.colTiles,
    leafBands: s.leafBands,
  };
}

/** challengeRequestFromWire is the agent's view of a ComputeChallenge. */
export function challengeRequestFromWire(c: ComputeChallenge): ChallengeRequest {
  return {
    challengeId: c.challengeId,
    seed: c.seed,
    shape: { inner: c.inner, tileRows: c.tileRows, tileCols: c.tileCols, rowTiles: c.rowTiles, colTiles: c.colTiles, leafBands: c.leafBands },
    precision: c.precision,
    gpuIndex: c.gpuIndex,
    gpuUuid: c.gpuUuid,
    deadlineMs: c.deadlineMs,
  };
}

/** commitmentToWire is the ChallengeCommit an agent sends. */
export function commitmentToWire(c: ChallengeCommitment): ChallengeCommitWire {
  if ('error' in c) return { challengeId: c.challengeId, error: c.error, errorKind: c.errorKind, device: c.device };
  return { challengeId: c.challengeId, root: c.root, computeMs: c.computeMs, device: c.device };
}

/** commitmentFromWire reads a ChallengeCommit; one with an error gave up, whatever else it holds. */
export function commitmentFromWire(c: ChallengeCommit): ChallengeCommitment {
  if (c.error) return { challengeId: c.challengeId, error: c.error, errorKind: c.errorKind, device: c.device };
  return { challengeId: c.challengeId, root: c.root, computeMs: c.computeMs, device: c.device };
}

/** revealRequestToWire is the RevealTiles the scheduler sends. */
export function revealRequestToWire(r: RevealRequest): RevealTilesWire {
  return { challengeId: r.challengeId, tiles: r.tiles.map((t) => ({ rowTile: t.rowTile, colTile: t.colTile })) };
}

/** revealRequestFromWire is the agent's view of a RevealTiles. */
export function revealRequestFromWire(r: RevealTiles): RevealRequest {
  return { challengeId: r.challengeId, tiles: r.tiles.map((t) => ({ rowTile: t.rowTile, colTile: t.colTile })) };
}

/** tileAnswerToWire is the ChallengeTile an agent sends for one asked tile. */
export function tileAnswerToWire(t: TileAnswer): ChallengeTileWire {
  if ('error' in t) return { challengeId: t.challengeId, rowTile: t.rowTile, colTile: t.colTile, error: t.error };
  return { challengeId: t.challengeId, rowTile: t.rowTile, colTile: t.colTile, values: t.values, leaf: t.leaf, proof: t.proof };
}

/** tileAnswerFromWire reads a ChallengeTile; one with an error revealed nothing, whatever else it holds. */
export function tileAnswerFromWire(t: ChallengeTile): TileAnswer {
  if (t.error) return { challengeId: t.challengeId, rowTile: t.rowTile, colTile: t.colTile, error: t.error };
  return { challengeId: t.challengeId, rowTile: t.rowTile, colTile: t.colTile, values: t.values, leaf: t.leaf, proof: t.proof };
}
