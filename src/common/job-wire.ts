/**
 * job-wire: jobs, shards, events and explanations between proto (src/gen) and domain types,
 * shared by the gateway, the scheduler and the agent. Enums map through exhaustive switches.
 */
import type { AssignShardWire } from '../gen/tessera/v1/AssignShard.js';
import type { EntrypointWire } from '../gen/tessera/v1/Entrypoint.js';
import type { Entrypoint } from '../gen/tessera/v1/Entrypoint.js';
import type { JobWire } from '../gen/tessera/v1/Job.js';
import type { JobEventWire } from '../gen/tessera/v1/JobEvent.js';
import type { JobSpec as JobSpecOut, JobSpecWire } from '../gen/tessera/v1/JobSpec.js';
import type { JobState as JobStateOut } from '../gen/tessera/v1/JobState.js';
import type { PlacementExplanationWire } from '../gen/tessera/v1/PlacementExplanation.js';
import type { ShardWire } from '../gen/tessera/v1/Shard.js';
import type { ShardState as ShardStateOut } from '../gen/tessera/v1/ShardState.js';
import type { JobEvent, JobRecord, JobSpec, JobState, ShardRecord, ShardState, StoredExplanation } from './job.js';
import { timestampToWire } from './wire.js';

/** REPLACEMENT marks bytes that were not UTF-8: protobuf decoders substitute U+FFFD for them. */
const REPLACEMENT = '\uFFFD';

/** specFromWire turns a decoded JobSpec into an unvalidated domain object for jobSpecSchema; invalid UTF-8 stays detectable. */
export function specFromWire(spec: JobSpecOut | null): unknown {
  if (!spec) return undefined;
  const e = spec.entrypoint;
  return {
    name: spec.name,
    entrypoint: e && {
      command: e.command,
      args: e.args,
      env: e.env,
      workingDir: e.workingDir,
      files: e.files.map((f) => ({ path: f.path, contentBase64: Buffer.from(f.content).toString('base64'), ...(f.mode !== 0 && { mode: f.mode }) })),
    },
    resources: spec.resources && {
      gpuCount: spec.resources.gpuCount,
      gpuModels: spec.resources.gpuModels,
      minGpuMemoryMib: spec.resources.minGpuMemoryMib,
      ...(spec.resources.cpuCores !== 0 && { cpuCores: spec.resources.cpuCores }),
      memoryMib: spec.resources.memoryMib,
    },
    ...(spec.timeoutSeconds !== 0 && { timeoutSeconds: spec.timeoutSeconds }),
    ...(spec.maxAttempts !== 0 && { maxAttempts: spec.maxAttempts }),
    priority: spec.priority,
    regions: spec.regions,
    labels: spec.labels,
    requireVerified: spec.requireVerified,
    minReputation: spec.minReputation,
    minUptime30d: spec.minUptime_30d,
    allowUnsandboxed: spec.allowUnsandboxed,
    partition:
      spec.partition === 'gang'
        ? { kind: 'gang', worldSize: spec.gang?.worldSize }
        : spec.partition === 'independent'
          ? { kind: 'independent', shardCount: spec.independent?.shardCount, inputs: spec.independent?.inputs ?? [] }
          : undefined,
  };
}

/** invalidUtf8Path finds the first string in a decoded value that held invalid UTF-8. */
export function invalidUtf8Path(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(REPLACEMENT) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = invalidUtf8Path(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'contentBase64') continue;
      const found = invalidUtf8Path(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
      if (k.includes(REPLACEMENT)) return path ? `${path}.${k}` : k;
    }
  }
  return undefined;
}

export function entrypointToWire(spec: JobSpec): EntrypointWire {
  const e = spec.entrypoint;
  return { command: e.command, args: e.args, env: e.env, workingDir: e.workingDir, files: e.files.map((f) => ({ path: f.path, content: Buffer.from(f.contentBase64, 'base64'), mode: f.mode })) };
}

/** entrypointFromWire is the agent's view of an assignment's entrypoint. */
export function entrypointFromWire(e: Entrypoint | null): { command: string; args: string[]; env: Record<string, string>; workingDir: string; files: Array<{ path: string; content: Buffer; mode: number }> } {
  return { command: e?.command ?? '', args: e?.args ?? [], env: e?.env ?? {}, workingDir: e?.workingDir ?? '', files: (e?.files ?? []).map((f) => ({ path: f.path, content: f.content, mode: f.mode || 0o644 })) };
}

export function specToWire(spec: JobSpec): JobSpecWire {
  const p = spec.partition;
  return {
    name: spec.name,
    entrypoint: entrypointToWire(spec),
    resources: spec.resources,
    timeoutSeconds: spec.timeoutSeconds,
    maxAttempts: spec.maxAttempts,
    priority: spec.priority,
    regions: spec.regions,
    labels: spec.labels,
    requireVerified: spec.requireVerified,
    minReputation: spec.minReputation,
    minUptime_30d: spec.minUptime30d,
    allowUnsandboxed: spec.allowUnsandboxed,
    ...(p.kind === 'gang' ? { gang: { worldSize: p.worldSize } } : { independent: { shardCount: p.shardCount, inputs: p.inputs } }),
  };
}

export function jobStateToWire(state: JobState): JobStateOut {
  switch (state) {
    case 'pending':
      return 'JOB_STATE_PENDING';
    case 'running':
      return 'JOB_STATE_RUNNING';
    case 'succeeded':
      return 'JOB_STATE_SUCCEEDED';
    case 'failed':
      return 'JOB_STATE_FAILED';
    case 'cancelled':
      return 'JOB_STATE_CANCELLED';
  }
}

export function shardStateToWire(state: ShardState): ShardStateOut {
  switch (state) {
    case 'pending':
      return 'SHARD_STATE_PENDING';
    case 'placed':
      return 'SHARD_STATE_PLACED';
    case 'running':
      return 'SHARD_STATE_RUNNING';
    case 'succeeded':
      return 'SHARD_STATE_SUCCEEDED';
    case 'failed':
      return 'SHARD_STATE_FAILED';
    case 'lost':
      return 'SHARD_STATE_LOST';
    case 'cancelled':
      return 'SHARD_STATE_CANCELLED';
  }
}

export function shardToWire(s: ShardRecord): ShardWire {
  return {
    index: s.index,
    attempt: s.attempt,
    state: shardStateToWire(s.state),
    workerId: s.workerId ?? '',
    gpuIndices: s.gpuIndices ?? [],
    exitCode: s.exitCode ?? 0,
    resultJson: s.result ?? '',
    error: s.error ?? '',
    wallMs: s.wallMs ?? 0,
    peakRssKib: s.peakRssKib ?? 0,
    placedTime: timestampToWire(s.placedAtMs),
    startedTime: timestampToWire(s.startedAtMs),
    finishedTime: timestampToWire(s.finishedAtMs),
    outputBytes: s.outputBytes ?? 0,
    outputTruncated: s.outputTruncated ?? false,
  };
}

/** jobToWire converts a job; `shards` is empty for listings. */
export function jobToWire(job: JobRecord, shards: ShardRecord[], placementSummary: string, withShards: boolean): JobWire {
  const count = (state: ShardState): number => shards.filter((s) => s.state === state).length;
  return {
    id: job.id,
    spec: specToWire(job.spec),
    state: jobStateToWire(job.state),
    counts: { pending: count('pending') + count('lost'), placed: count('placed'), running: count('running'), succeeded: count('succeeded'), failed: count('failed'), cancelled: count('cancelled') },
    shards: withShards ? shards.map(shardToWire) : [],
    createdTime: timestampToWire(job.createdAtMs),
    finishedTime: timestampToWire(job.finishedAtMs),
    cancelRequested: job.cancelRequested,
    placementSummary,
  };
}

export function eventToWire(e: JobEvent): JobEventWire {
  const base = { sequence: e.sequence, time: timestampToWire(e.timeMs) };
  switch (e.kind) {
    case 'job-state':
      return { ...base, jobState: { state: jobStateToWire(e.state), message: e.message } };
    case 'shard-state':
      return { ...base, shardState: { index: e.index, attempt: e.attempt, state: shardStateToWire(e.state), workerId: e.workerId ?? '', message: e.message } };
    case 'log':
      return { ...base, log: { index: e.index, attempt: e.attempt, stream: e.stream, data: Buffer.from(e.dataBase64, 'base64'), truncated: e.truncated, note: e.note ?? '' } };
    case 'shard-result':
      return {
        ...base,
        shardResult: { index: e.index, attempt: e.attempt, state: shardStateToWire(e.state), exitCode: e.exitCode ?? 0, resultJson: e.result ?? '', error: e.error ?? '', wallMs: e.wallMs ?? 0, peakRssKib: e.peakRssKib ?? 0, workerId: e.workerId ?? '' },
      };
    case 'summary':
      return { ...base, summary: { state: jobStateToWire(e.state), succeeded: e.succeeded, failed: e.failed, cancelled: e.cancelled, wallMs: e.wallMs, message: e.message } };
  }
}

export function explanationToWire(e: StoredExplanation): PlacementExplanationWire {
  return {
    shardIndex: e.shardIndex,
    attempt: e.attempt,
    summary: e.summary,
    workersTotal: e.nodesTotal,
    workersEvaluated: e.nodesEvaluated,
    filtered: e.filtered,
    candidates: e.candidates.map((c) => ({
      workerId: c.workerId,
      rejectedBy: c.rejectedBy ?? '',
      scores: Object.entries(c.scores ?? {}).map(([scorer, score]) => ({ scorer, score })),
      total: c.total ?? 0,
      selected: c.selected ?? false,
    })),
    time: timestampToWire(e.timeMs),
  };
}

/** assignToWire builds the AssignShard message for an agent; `maxOutputBytes` is the scheduler's output cap for the attempt. */
export function assignToWire(job: JobRecord, shard: ShardRecord, env: Record<string, string>, maxOutputBytes?: number): AssignShardWire {
  const limits = { cpuCores: job.spec.resources.cpuCores, memoryMib: job.spec.resources.memoryMib, gpuIndices: shard.gpuIndices ?? [] };
  return { shard: { jobId: job.id, index: shard.index, attempt: shard.attempt }, entrypoint: entrypointToWire(job.spec), env, timeoutSeconds: job.spec.timeoutSeconds, limits, ...(maxOutputBytes !== undefined && { maxOutputBytes }) };
}
