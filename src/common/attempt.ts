/**
 * attempt: one run of one shard as the scheduler and an agent speak of it — what the agent is
 * told to run, what it reports while it runs, and how the attempt ended.
 */

/** MAX_RESULT_BYTES: a shard's structured result is a summary, not a data set (64 KiB). */
export const MAX_RESULT_BYTES = 64 * 1024;

/** JOB_ID_PATTERN: the store names jobs "j-" plus 16 hex digits. */
export const JOB_ID_PATTERN = /^j-[0-9a-f]{16}$/;

/** ShardRef names one attempt of one shard. */
export interface ShardRef {
  jobId: string;
  index: number;
  attempt: number;
}

/** ShardEntrypoint is what an attempt runs, its files as bytes ready to write. */
export interface ShardEntrypoint {
  command: string;
  args: string[];
  env: Record<string, string>;
  workingDir: string;
  files: Array<{ path: string; content: Buffer; mode: number }>;
}

/** Assignment is one attempt an agent is told to run. */
export interface Assignment {
  ref: ShardRef;
  entrypoint: ShardEntrypoint;
  /** The environment Tessera adds (RANK, TESSERA_SHARD_INDEX, CUDA_VISIBLE_DEVICES, …). */
  env: Record<string, string>;
  timeoutSeconds: number;
  /** What the sandbox enforces: CPU cores, memory (0: the worker's own cap) and the GPUs placed. */
  limits: { cpuCores: number; memoryMib: number; gpuIndices: number[] };
  /** The scheduler's cap on the attempt's output in bytes; 0 when it set none. */
  maxOutputBytes: number;
}

/** AttemptEnd is how an attempt ended, from the agent or from the scheduler (worker lost). */
export interface AttemptEnd {
  exitCode?: number;
  signal?: string;
  error?: string;
  cancelled?: boolean;
  timedOut?: boolean;
  lost?: boolean;
  resultJson?: string;
  wallMs?: number;
  peakRssKib?: number;
  outputBytes?: number;
  outputTruncated?: boolean;
  /** The cgroup's OOM killer ended it (the error names the limit). */
  oomKilled?: boolean;
}

/** ShardReport is what an agent says about an attempt: started (agent's clock), output, finished, or refused. */
export type ShardReport =
  | { kind: 'started'; ref: ShardRef; pid: number; startedAtMs: number }
  | { kind: 'output'; ref: ShardRef; stream: 'stdout' | 'stderr'; data: Buffer; truncated: boolean }
  | { kind: 'finished'; ref: ShardRef; end: AttemptEnd }
  | { kind: 'rejected'; ref: ShardRef; reason: string };
