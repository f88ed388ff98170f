/**
 * job: the domain model of a job — one zod schema for the spec, with a limit on every size —
 * and of its shards, events and placements as the store keeps them.
 */
import { z } from 'zod';
import { findFamily, GPU_FAMILIES } from './gpu-catalog.js';
import { labelsSchema, regionSchema } from './worker.js';

/** Limits, each with its reason. */
export const JOB_LIMITS = {
  /**
   * A gang spans at most 32 ranks: all ranks are placed in one etcd transaction (a compare and a
   * put per rank, plus the job), and etcd allows 128 operations per transaction by default.
   */
  maxWorldSize: 32,
  /** An independent job has at most 10,000 shards; larger maps should be several jobs. */
  maxShards: 10_000,
  maxInputs: 100_000,
  maxInputBytes: 4096,
  maxInputsTotalBytes: 1024 * 1024,
  maxArgs: 256,
  maxArgBytes: 4096,
  maxEnv: 128,
  maxEnvTotalBytes: 64 * 1024,
  maxFiles: 32,
  maxFileBytes: 256 * 1024,
  maxFilesTotalBytes: 1024 * 1024,
  /** Seven days: longer work should checkpoint and resubmit. */
  maxTimeoutSeconds: 7 * 86_400,
  maxAttempts: 10,
  /**
   * The whole spec as stored (JSON) is at most 1 MiB: it is one etcd key, and etcd refuses
   * requests over 1.5 MiB. Larger data belongs in object storage, named by the inputs.
   */
  maxSpecBytes: 1024 * 1024,
} as const;

/** base64Bytes is the decoded size of a base64 string. */
export function base64Bytes(b64: string): number {
  return Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
}

const relativePath = z
  .string()
  .min(1, 'expected a relative path')
  .max(256, 'expected at most 256 characters')
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\0'), 'expected a relative path without ".." inside the shard directory');

const utf8 = (max: number, what: string): z.ZodString => z.string().max(max, `expected ${what} of at most ${max} characters`);

/** RESERVED_ENV: set by Tessera for every shard; a spec may not set them. */
export const RESERVED_ENV = /^(TESSERA_|RANK$|WORLD_SIZE$|LOCAL_RANK$|LOCAL_WORLD_SIZE$|MASTER_ADDR$|MASTER_PORT$|CUDA_VISIBLE_DEVICES$)/;

export const entrypointSchema = z.object({
  command: z.string().min(1, 'expected a command to run').max(4096, 'expected at most 4096 characters'),
  args: z.array(utf8(JOB_LIMITS.maxArgBytes, 'an argument')).max(JOB_LIMITS.maxArgs, `expected at most ${JOB_LIMITS.maxArgs} arguments`).default([]),
  env: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected an environment variable name').refine((k) => !RESERVED_ENV.test(k), 'is set by Tessera for every shard and cannot be overridden'),
      z.string().max(32 * 1024, 'expected a value of at most 32768 characters'),
    )
    .default({})
    .refine((env) => Object.keys(env).length <= JOB_LIMITS.maxEnv, `expected at most ${JOB_LIMITS.maxEnv} variables`)
    .refine((env) => Object.entries(env).reduce((n, [k, v]) => n + k.length + v.length, 0) <= JOB_LIMITS.maxEnvTotalBytes, `expected at most ${JOB_LIMITS.maxEnvTotalBytes} bytes of environment in all`),
  workingDir: z.union([z.literal(''), relativePath]).default(''),
  files: z
    .array(
      z.object({
        path: relativePath,
        /** The file's bytes, base64-encoded (files may be binary). */
        contentBase64: z
          .string()
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
          .refine((b64) => base64Bytes(b64) <= JOB_LIMITS.maxFileBytes, `expected at most ${JOB_LIMITS.maxFileBytes} bytes per file`),
        mode: z.number().int().min(0).max(0o777).default(0o644),
      }),
    )
    .max(JOB_LIMITS.maxFiles, `expected at most ${JOB_LIMITS.maxFiles} files`)
    .default([])
    .refine((files) => files.reduce((n, f) => n + base64Bytes(f.contentBase64), 0) <= JOB_LIMITS.maxFilesTotalBytes, `expected at most ${JOB_LIMITS.maxFilesTotalBytes} bytes of files in all`)
    .refine((files) => new Set(files.map((f) => f.path)).size === files.length, 'expected each file path once'),
});

export const resourcesSchema = z.object({
  gpuCount: z.number().int().min(0).max(16, 'expected at most 16 GPUs per shard').default(0),
  gpuModels: z
    .array(z.string().refine((m) => findFamily(m) !== undefined, `expected a GPU model Tessera knows: ${GPU_FAMILIES.map((f) => f.name).join(', ')}`))
    .max(16)
    .default([])
    // Canonical family names ("h100" → "H100"), as placement indexes them.
    .transform((models) => [...new Set(models.map((m) => findFamily(m)!.name))]),
  minGpuMemoryMib: z.number().int().min(0).max(16 * 1024 * 1024).default(0),
  cpuCores: z.number().positive('expected more than 0 cores').max(1024).default(1),
  memoryMib: z.number().int().min(0).max(64 * 1024 * 1024).default(0),
});

export const partitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gang'), worldSize: z.number().int().min(1, 'expected at least 1 rank').max(JOB_LIMITS.maxWorldSize, `expected at most ${JOB_LIMITS.maxWorldSize} ranks`) }),
  z.object({
    kind: z.literal('independent'),
    shardCount: z.number().int().min(1, 'expected at least 1 shard').max(JOB_LIMITS.maxShards, `expected at most ${JOB_LIMITS.maxShards} shards`),
    inputs: z
      .array(utf8(JOB_LIMITS.maxInputBytes, 'an input'))
      .max(JOB_LIMITS.maxInputs, `expected at most ${JOB_LIMITS.maxInputs} inputs`)
      .default([])
      .refine((inputs) => inputs.reduce((n, i) => n + i.length, 0) <= JOB_LIMITS.maxInputsTotalBytes, `expected at most ${JOB_LIMITS.maxInputsTotalBytes} bytes of inputs in all`),
  }),
]);

export const jobSpecSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'expected a job name: letters, digits, ._- (1-128 characters)'),
    entrypoint: entrypointSchema,
    resources: resourcesSchema,
    timeoutSeconds: z.number().int().min(1).max(JOB_LIMITS.maxTimeoutSeconds, `expected at most ${JOB_LIMITS.maxTimeoutSeconds} seconds`).default(3600),
    maxAttempts: z.number().int().min(1).max(JOB_LIMITS.maxAttempts, `expected at most ${JOB_LIMITS.maxAttempts} attempts`).default(3),
    priority: z.number().int().min(-1000).max(1000).default(0),
    regions: z.array(regionSchema).max(16).default([]),
    labels: labelsSchema.default({}),
    partition: partitionSchema,
    /** Only workers whose claimed hardware passed its challenges. */
    requireVerified: z.boolean().default(false),
    /** Only workers with at least this reputation (0–100). */
    minReputation: z.number().min(0, 'expected 0 to 100').max(100, 'expected 0 to 100').default(0),
    minUptime30d: z.number().min(0, 'expected 0 to 1').max(1, 'expected 0 to 1').default(0),
    /** Also run on workers whose agent runs shards without a sandbox (--insecure-no-sandbox). */
    allowUnsandboxed: z.boolean().default(false),
  })
  .superRefine((spec, ctx) => {
    const bytes = Buffer.byteLength(JSON.stringify(spec));
    if (bytes > JOB_LIMITS.maxSpecBytes) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: `expected a job spec of at most ${JOB_LIMITS.maxSpecBytes} bytes in all (this one is ${bytes}): it is stored as one etcd key; put large data in object storage and pass its names as inputs` });
    }
    if (spec.partition.kind === 'independent' && spec.partition.inputs.length > 0 && spec.partition.shardCount > spec.partition.inputs.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['partition', 'shardCount'], message: 'expected no more shards than inputs' });
    }
  });

/** JobSpec is a validated job. */
export type JobSpec = z.output<typeof jobSpecSchema>;
/** Resources is what one shard needs. */
export type Resources = z.output<typeof resourcesSchema>;

export const JOB_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const SHARD_STATES = ['pending', 'placed', 'running', 'succeeded', 'failed', 'lost', 'cancelled'] as const;
/** JobState is where a job is in its life. */
export type JobState = (typeof JOB_STATES)[number];
/** ShardState is where one shard's current attempt is. */
export type ShardState = (typeof SHARD_STATES)[number];

/** isTerminalShard: no further transition happens from these states. */
export function isTerminalShard(state: ShardState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** isTerminalJob: a job in these states changes no more. */
export function isTerminalJob(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** holdsWorker: a shard placed or running on a worker occupies its GPUs and cores there. */
export function holdsWorker(shard: ShardRecord): boolean {
  return (shard.state === 'placed' || shard.state === 'running') && shard.workerId !== undefined;
}

/** ShardCounts: how many of a job's shards are in each state (kept on the job, updated with each change). */
export type ShardCounts = Record<ShardState, number>;

/** emptyCounts is a job's counts before any shard exists. */
export function emptyCounts(): ShardCounts {
  return { pending: 0, placed: 0, running: 0, succeeded: 0, failed: 0, lost: 0, cancelled: 0 };
}

/**
 * JobRecord is a job: its status at /tessera/v1/jobs/<id> (small; rewritten as shards change)
 * and its spec at /tessera/v1/job-specs/<id> (written once at submit).
 */
export interface JobRecord {
  id: string;
  tenantId: string;
  spec: JobSpec;
  state: JobState;
  shardCount: number;
  /** Shards per state. A shard never written is pending at attempt 1. */
  counts: ShardCounts;
  /** The sequence of the job's last event: each event key is its sequence, so a stream resumes with a range read from it. */
  eventSeq: number;
  cancelRequested: boolean;
  createdAtMs: number;
  finishedAtMs?: number;
  /** The retention lease every key of this job hangs on. */
  lease: string;
  /** Gang jobs: the attempt all ranks are on, and rank 0's rendezvous port. */
  gangAttempt?: number;
  masterPort?: number;
  /** Gang jobs: ranks whose final result event is written (results are written in size-bounded batches once all ranks succeeded). */
  resultsEmitted?: number;
}

/** ShardRecord is /tessera/v1/shards/<job>/<index>: the current attempt of one shard. */
export interface ShardRecord {
  jobId: string;
  index: number;
  attempt: number;
  state: ShardState;
  workerId?: string;
  gpuIndices?: number[];
  placedAtMs?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  exitCode?: number;
  signal?: string;
  wallMs?: number;
  peakRssKib?: number;
  /** The shard's structured result (JSON text, capped). */
  result?: string;
  error?: string;
  outputBytes?: number;
  outputTruncated?: boolean;
}

/** JobEventBody is what a job event says; the store adds sequence and time. */
export type JobEventBody =
  | { kind: 'job-state'; state: JobState; message: string }
  | { kind: 'shard-state'; index: number; attempt: number; state: ShardState; workerId?: string; message: string }
  /** Output bytes as base64: a chunk may end inside a multi-byte character, and bytes must pass through unchanged. */
  /** `note`: the scheduler's marker where it cut or dropped output (docs/jobs.md, "Output limits"). */
  | { kind: 'log'; index: number; attempt: number; stream: 'stdout' | 'stderr'; dataBase64: string; truncated: boolean; note?: string }
  | { kind: 'shard-result'; index: number; attempt: number; state: ShardState; exitCode?: number; result?: string; error?: string; wallMs?: number; peakRssKib?: number; workerId?: string }
  | { kind: 'summary'; state: JobState; succeeded: number; failed: number; cancelled: number; wallMs: number; message: string };

/** JobEvent is one stored event; `sequence` orders and resumes a stream. */
export type JobEvent = JobEventBody & { sequence: number; timeMs: number };

/** StoredExplanation is one placement decision as kept for ExplainPlacement. */
export interface StoredExplanation {
  shardIndex: number;
  attempt: number;
  timeMs: number;
  summary: string;
  nodesTotal: number;
  nodesEvaluated: number;
  filtered: Record<string, number>;
  candidates: Array<{ workerId: string; rejectedBy?: string; scores?: Record<string, number>; total?: number; selected?: boolean }>;
}

/** shardInputs is the slice of a job's inputs shard `index` gets: contiguous, sizes differing by at most one. */
export function shardInputs(inputs: string[], shardCount: number, index: number): string[] {
  const base = Math.floor(inputs.length / shardCount);
  const extra = inputs.length % shardCount;
  const start = index * base + Math.min(index, extra);
  return inputs.slice(start, start + base + (index < extra ? 1 : 0));
}

/** shardCountOf is how many shards a spec makes. */
export function shardCountOf(spec: JobSpec): number {
  return spec.partition.kind === 'gang' ? spec.partition.worldSize : spec.partition.shardCount;
}

/** pendingShard is a shard the store has not written yet: pending at attempt 1. */
export function pendingShard(jobId: string, index: number): ShardRecord {
  return { jobId, index, attempt: 1, state: 'pending' };
}

// ---- stored values, decoded through these schemas (a corrupt value is skipped, never trusted) ----

const shardStateSchema = z.enum(SHARD_STATES);
const jobStateSchema = z.enum(JOB_STATES);

export const shardRecordSchema: z.ZodType<ShardRecord, z.ZodTypeDef, unknown> = z.object({
  jobId: z.string(),
  index: z.number().int().min(0),
  attempt: z.number().int().min(1),
  state: shardStateSchema,
  workerId: z.string().optional(),
  gpuIndices: z.array(z.number().int()).optional(),
  placedAtMs: z.number().optional(),
  startedAtMs: z.number().optional(),
  finishedAtMs: z.number().optional(),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  wallMs: z.number().optional(),
  peakRssKib: z.number().optional(),
  result: z.string().optional(),
  error: z.string().optional(),
  outputBytes: z.number().optional(),
  outputTruncated: z.boolean().optional(),
});

export const shardCountsSchema: z.ZodType<ShardCounts, z.ZodTypeDef, unknown> = z.object({
  pending: z.number().int(),
  placed: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  lost: z.number().int(),
  cancelled: z.number().int(),
});

/** JobStatus is the stored job without its spec (the spec has its own key), plus the spec's name for listings. */
export type JobStatus = Omit<JobRecord, 'spec'> & { name: string };

export const jobStatusSchema: z.ZodType<JobStatus, z.ZodTypeDef, unknown> = z.object({
  id: z.string(),
  name: z.string(),
  tenantId: z.string(),
  state: jobStateSchema,
  shardCount: z.number().int().min(1),
  counts: shardCountsSchema,
  eventSeq: z.number().int().min(0),
  cancelRequested: z.boolean(),
  createdAtMs: z.number(),
  finishedAtMs: z.number().optional(),
  lease: z.string(),
  gangAttempt: z.number().int().optional(),
  masterPort: z.number().int().optional(),
  resultsEmitted: z.number().int().optional(),
});

export const jobEventBodySchema: z.ZodType<JobEventBody, z.ZodTypeDef, unknown> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('job-state'), state: jobStateSchema, message: z.string() }),
  z.object({ kind: z.literal('shard-state'), index: z.number().int(), attempt: z.number().int(), state: shardStateSchema, workerId: z.string().optional(), message: z.string() }),
  z.object({ kind: z.literal('log'), index: z.number().int(), attempt: z.number().int(), stream: z.enum(['stdout', 'stderr']), dataBase64: z.string(), truncated: z.boolean(), note: z.string().optional() }),
  z.object({
    kind: z.literal('shard-result'),
    index: z.number().int(),
    attempt: z.number().int(),
    state: shardStateSchema,
    exitCode: z.number().int().optional(),
    result: z.string().optional(),
    error: z.string().optional(),
    wallMs: z.number().optional(),
    peakRssKib: z.number().optional(),
    workerId: z.string().optional(),
  }),
  z.object({ kind: z.literal('summary'), state: jobStateSchema, succeeded: z.number().int(), failed: z.number().int(), cancelled: z.number().int(), wallMs: z.number(), message: z.string() }),
]);

/** storedEventSchema is an event as stored: its body and when it was written (the key holds its sequence). */
export const storedEventSchema = z.intersection(jobEventBodySchema, z.object({ timeMs: z.number() }));

export const storedExplanationSchema: z.ZodType<StoredExplanation, z.ZodTypeDef, unknown> = z.object({
  shardIndex: z.number().int(),
  attempt: z.number().int(),
  timeMs: z.number(),
  summary: z.string(),
  nodesTotal: z.number().int(),
  nodesEvaluated: z.number().int(),
  filtered: z.record(z.number()),
  candidates: z.array(
    z.object({ workerId: z.string(), rejectedBy: z.string().optional(), scores: z.record(z.number()).optional(), total: z.number().optional(), selected: z.boolean().optional() }),
  ),
});
