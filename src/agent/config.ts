/**
 * config: the agent's settings.
 */
import { hostname, homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
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
  })
  .refine((c) => c.backoffInitialMs <= c.backoffMaxMs, { message: 'expected backoff initial ≤ backoff max', path: ['backoffInitialMs'] });

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
