/**
 * job: job.proto — specs, jobs, shards, events and placement explanations — between wire and
 * domain types. Enums map through exhaustive switches.
 */
import type { Entrypoint, EntrypointWire } from '../gen/tessera/v1/Entrypoint.js';
import type { JobWire } from '../gen/tessera/v1/Job.js';
import type { JobEventWire } from '../gen/tessera/v1/JobEvent.js';
import type { JobSpec as JobSpecOut, JobSpecWire } from '../gen/tessera/v1/JobSpec.js';
import type { JobState as JobStateOut } from '../gen/tessera/v1/JobState.js';
import type { PlacementExplanationWire } from '../gen/tessera/v1/PlacementExplanation.js';
import type { ShardWire } from '../gen/tessera/v1/Shard.js';
import type { ShardState as ShardStateOut } from '../gen/tessera/v1/ShardState.js';
import type { ShardEntrypoint } from '../common/attempt.js';
import { InvalidArgument } from '../common/errors.js';
import { fromZod } from '../common/grpc.js';
import { jobSpecSchema, type JobEvent, type JobRecord, type JobSpec, type JobState, type JobStatus, type ShardRecord, type ShardState, type StoredExplanation } from '../common/job.js';
import { timestampToWire } from './timestamp.js';

/** REPLACEMENT marks bytes that were not UTF-8: protobuf decoders substitute U+FFFD for them. */
const REPLACEMENT = '\uFFFD';

/** specFromWire turns a decoded JobSpec into an unvalidated domain object for jobSpecSchema; invalid UTF-8 stays detectable. */
function specFromWire(spec: JobSpecOut | null): unknown {
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
function invalidUtf8Path(value: unknown, path = ''): string | undefined {
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

/** PROTO_NAMES maps domain field names to the proto's, so an error names the field the caller sent. */
const PROTO_NAMES: Record<string, string> = {
  workingDir: 'working_dir',
  gpuCount: 'gpu_count',
  gpuModels: 'gpu_models',
  minGpuMemoryMib: 'min_gpu_memory_mib',
  cpuCores: 'cpu_cores',
  memoryMib: 'memory_mib',
  timeoutSeconds: 'timeout_seconds',
  maxAttempts: 'max_attempts',
  contentBase64: 'content',
  shardCount: 'shard_count',
  worldSize: 'world_size',
  requireVerified: 'require_verified',
  allowUnsandboxed: 'allow_unsandboxed',
  minReputation: 'min_reputation',
  minUptime30d: 'min_uptime_30d',
};

/** protoPath rewrites "spec.partition.shardCount" as "spec.independent.shard_count" and so on. */
function protoPath(err: InvalidArgument): InvalidArgument {
  const path = err.fieldPath
    .replace(/^spec\.partition\.(shardCount|inputs)/, 'spec.independent.$1')
    .replace(/^spec\.partition\.worldSize/, 'spec.gang.worldSize')
    .split('.')
    .map((segment) => segment.replace(/^([A-Za-z0-9]+)(\[\d+\])?$/, (_m, name: string, at: string | undefined) => (PROTO_NAMES[name] ?? name) + (at ?? '')))
    .join('.');
  return new InvalidArgument(path === 'spec.partition' ? 'spec.partition (gang or independent)' : path, err.expected);
}

/** jobSpecFromWire validates a submitted spec; errors name the proto field under "spec." ("spec.resources.gpu_count"). */
export function jobSpecFromWire(spec: JobSpecOut | null): JobSpec {
  const raw = specFromWire(spec);
  if (raw === undefined) throw new InvalidArgument('spec', 'expected a job spec');
  const badText = invalidUtf8Path(raw);
  if (badText !== undefined) throw protoPath(new InvalidArgument(`spec.${badText}`, 'expected valid UTF-8 text'));
  const parsed = jobSpecSchema.safeParse(raw);
  if (!parsed.success) throw protoPath(fromZod(parsed.error, 'spec'));
  return parsed.data;
}

/** entrypointToWire converts a spec's entrypoint, files decoded from base64. */
export function entrypointToWire(spec: JobSpec): EntrypointWire {
  const e = spec.entrypoint;
  return { command: e.command, args: e.args, env: e.env, workingDir: e.workingDir, files: e.files.map((f) => ({ path: f.path, content: Buffer.from(f.contentBase64, 'base64'), mode: f.mode })) };
}

/** entrypointFromWire is the agent's view of an assignment's entrypoint: files as bytes, mode 0644 when unset. */
export function entrypointFromWire(e: Entrypoint | null): ShardEntrypoint {
  return { command: e?.command ?? '', args: e?.args ?? [], env: e?.env ?? {}, workingDir: e?.workingDir ?? '', files: (e?.files ?? []).map((f) => ({ path: f.path, content: f.content, mode: f.mode || 0o644 })) };
}

function specToWire(spec: JobSpec): JobSpecWire {
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

function jobStateToWire(state: JobState): JobStateOut {
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

function shardStateToWire(state: ShardState): ShardStateOut {
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

/** GET_JOB_RESULT_BUDGET: result bytes one GetJob response carries (clients refuse responses over 4 MiB). */
export const GET_JOB_RESULT_BUDGET = 2 * 1024 * 1024;

function shardToWire(s: ShardRecord, withResult: boolean): ShardWire {
  return {
    index: s.index,
    attempt: s.attempt,
    state: shardStateToWire(s.state),
    workerId: s.workerId ?? '',
    gpuIndices: s.gpuIndices ?? [],
    exitCode: s.exitCode ?? 0,
    resultJson: withResult ? (s.result ?? '') : '',
    resultOmitted: !withResult && s.result !== undefined,
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

/**
 * jobToWire converts a job: counts come from the job's status; a listing carries no shards and
 * only the spec's name (JobStatus), GetJob the whole spec and every shard.
 */
export function jobToWire(job: JobRecord | JobStatus, placementSummary: string, shards: ShardRecord[] = []): JobWire {
  const c = job.counts;
  return {
    id: job.id,
    spec: 'spec' in job ? specToWire(job.spec) : { name: job.name },
    state: jobStateToWire(job.state),
    counts: { pending: c.pending + c.lost, placed: c.placed, running: c.running, succeeded: c.succeeded, failed: c.failed, cancelled: c.cancelled },
    shards: withinBudget(shards),
    createdTime: timestampToWire(job.createdAtMs),
    finishedTime: timestampToWire(job.finishedAtMs),
    cancelRequested: job.cancelRequested,
    placementSummary,
  };
}

/** withinBudget converts shards, carrying results in index order while they fit GET_JOB_RESULT_BUDGET. */
function withinBudget(shards: ShardRecord[]): ShardWire[] {
  let left = GET_JOB_RESULT_BUDGET;
  return shards.map((s) => {
    const size = s.result?.length ?? 0;
    const fits = size <= left;
    if (fits) left -= size;
    return shardToWire(s, fits);
  });
}

/** eventToWire converts one stored job event. */
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

/** explanationToWire converts one placement decision. */
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
