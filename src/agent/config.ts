/**
 * config: the agent's settings.
 */
import { createHash } from 'node:crypto';
import { hostname, homedir, networkInterfaces, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { dialAddress, durationMs, labelMap, listenAddress, parseConfig } from '../common/config.js';
import { labelsSchema, regionSchema, workerNameSchema } from '../common/worker.js';

export const agentConfigSchema = z
  .object({
    /** The scheduler's AgentService address; the agent dials out, so the worker may sit behind NAT. */
    scheduler: dialAddress,
    /** One-time join token; needed only until the agent has an identity in stateDir. */
    joinToken: z.string().max(512).optional(),
    /** Where the worker identity is kept (identity.json, mode 0600). */
    stateDir: z.string().min(1).default(join(homedir(), '.tessera', 'agent')),
    name: workerNameSchema.default(hostname()),
    region: regionSchema.default('local'),
    labels: labelMap.pipe(labelsSchema).default({}),
    /** The agent's own /metrics, on loopback by default: it is for the worker's owner. */
    metricsListen: listenAddress.default('127.0.0.1:9472'),
    /** First reconnect delay; doubles up to backoffMaxMs, with full jitter. */
    backoffInitialMs: durationMs.default('500ms'),
    backoffMaxMs: durationMs.default('15s'),
    /** A Connect stream not welcomed within this is abandoned and retried (a silent network). */
    connectTimeoutMs: durationMs.default('10s'),
    /** Output kept per shard attempt; past it the stream says it was truncated. */
    maxShardOutputBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
    /** After SIGTERM (cancel, timeout), a shard's processes get this long before SIGKILL. */
    killGraceMs: durationMs.default('10s'),
    /** Address other gang ranks reach this worker at; default: the first non-loopback IPv4 address. */
    advertiseAddress: z.string().min(1).max(255).default(() => defaultAdvertiseAddress()),
    /** Python with PyTorch for GPU compute challenges (Debian's python3-torch lives under /usr/bin/python3). */
    python: z.string().min(1).default(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    /** The nvidia-smi to run (a path, or looked up on PATH). */
    nvidiaSmi: z.string().min(1).default('nvidia-smi'),
    /** Where shards' directories go, outside the state directory (default: per agent, below /var/lib/tessera/shards as root). */
    shardRoot: z.string().min(1).optional(),
    /** Run shards without a sandbox when the agent cannot make one (not root, no bubblewrap). */
    insecureNoSandbox: z.boolean().default(false),
    /** First uid of the 1,000 the sandbox gives shards (one each while it runs); default: from the shard root, so agents sharing a machine do not share uids. */
    sandboxUidBase: z.number().int().min(1000).max(2 ** 31 - 2000).optional(),
    /** Processes and threads one shard may have (a fork bomb stops here). */
    shardMaxPids: z.number().int().min(16).max(1_000_000).default(4096),
    /** Talk plaintext to a scheduler started with --insecure (the join token's CA pin is ignored). */
    insecure: z.boolean().default(false),
    /** The bubblewrap to run (a path, or looked up on PATH). */
    bwrap: z.string().min(1).default('bwrap'),
  })
  .refine((c) => c.backoffInitialMs <= c.backoffMaxMs, { message: 'expected backoff initial ≤ backoff max', path: ['backoffInitialMs'] })
  .transform((c) => {
    const shardRoot = resolve(c.shardRoot ?? defaultShardRoot(c.stateDir));
    return { ...c, stateDir: resolve(c.stateDir), shardRoot, sandboxUidBase: c.sandboxUidBase ?? defaultUidBase(shardRoot) };
  })
  .refine((c) => !isWithin(c.shardRoot, c.stateDir), { message: 'expected a shard root outside the state directory (shards must not reach the identity)', path: ['shardRoot'] });

/** SANDBOX_UIDS: how many uids the sandbox pool holds (shards at once on one worker). */
export const SANDBOX_UIDS = 1000;

/** defaultShardRoot is one directory per agent state (several agents may share a machine). */
export function defaultShardRoot(stateDir: string): string {
  const id = createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 12);
  return process.getuid?.() === 0 ? `/var/lib/tessera/shards/${id}` : join(tmpdir(), `tessera-shards-${id}`);
}

/**
 * defaultUidBase spreads agents over 1,000 pools of 1,000 uids (200000–1199999) by their shard
 * root, so two agents on one machine almost never share a uid (set --sandbox-uid-base to be sure).
 */
export function defaultUidBase(shardRoot: string): number {
  return 200_000 + (createHash('sha256').update(shardRoot).digest().readUInt32BE(0) % 1000) * SANDBOX_UIDS;
}

/** defaultShardMemoryMib: a shard that asked for no memory may use 90 % of the machine's. */
export function defaultShardMemoryMib(): number {
  return Math.floor((totalmem() / 1024 / 1024) * 0.9);
}

function isWithin(path: string, dir: string): boolean {
  const p = resolve(path);
  const d = resolve(dir);
  return p === d || p.startsWith(d + '/');
}

/** AgentConfig is the compiled configuration. */
export type AgentConfig = z.output<typeof agentConfigSchema>;

export const AGENT_SETTING_NAMES = {
  scheduler: '--scheduler / TESSERA_SCHEDULER',
  joinToken: '--join-token / TESSERA_JOIN_TOKEN',
  stateDir: '--state-dir / TESSERA_AGENT_STATE_DIR',
  name: '--name / TESSERA_WORKER_NAME',
  region: '--region / TESSERA_REGION',
  labels: '--labels / TESSERA_LABELS',
  metricsListen: '--metrics-listen / TESSERA_AGENT_METRICS_LISTEN',
  backoffInitialMs: '--backoff-initial',
  backoffMaxMs: '--backoff-max',
  connectTimeoutMs: '--connect-timeout',
  nvidiaSmi: '--nvidia-smi / TESSERA_NVIDIA_SMI',
  maxShardOutputBytes: '--max-shard-output-bytes',
  killGraceMs: '--kill-grace',
  advertiseAddress: '--advertise-address / TESSERA_ADVERTISE_ADDRESS',
  python: '--python / TESSERA_PYTHON',
  shardRoot: '--shard-root / TESSERA_SHARD_ROOT',
  insecureNoSandbox: '--insecure-no-sandbox',
  sandboxUidBase: '--sandbox-uid-base',
  shardMaxPids: '--shard-max-pids',
  bwrap: '--bwrap',
  insecure: '--insecure',
};

/** defaultAdvertiseAddress picks the first non-internal IPv4 address, else loopback. */
export function defaultAdvertiseAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

export function parseAgentConfig(raw: unknown): AgentConfig {
  return parseConfig(agentConfigSchema, raw, AGENT_SETTING_NAMES);
}
