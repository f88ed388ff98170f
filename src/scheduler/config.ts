/**
 * config: the scheduler's settings, one zod schema with documented defaults.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { durationMs, listenAddress, parseConfig } from '../common/config.js';
import { DEFAULT_ROOT } from '../store/keys.js';

export const schedulerConfigSchema = z
  .object({
    /** Where agents dial in (gRPC AgentService). */
    listen: listenAddress.default('0.0.0.0:7070'),
    /** Where Prometheus scrapes /metrics: loopback unless configured (set a private address for a remote Prometheus). */
    metricsListen: listenAddress.default('127.0.0.1:9470'),
    /** etcd endpoints; empty means the in-memory store (only sensible inside `tessera dev`). */
    etcdEndpoints: z.array(z.string().url('expected an etcd URL such as http://127.0.0.1:2379')).default([]),
    /** Key prefix in etcd. */
    etcdPrefix: z.string().regex(/^\/.*\/$/, 'expected a key prefix that starts and ends with "/"').default(DEFAULT_ROOT),
    /** How long a silent worker stays online: 10 s, as Nomad's default heartbeat grace. etcd counts whole seconds. */
    leaseTtlMs: durationMs.default('10s').refine((ms) => ms >= 2000 && ms <= 300_000, 'expected 2s to 5m'),
    /** How often agents beat; must leave several beats per TTL. */
    heartbeatIntervalMs: durationMs.default('2s').refine((ms) => ms >= 100, 'expected at least 100ms'),
    /** Largest message an agent may send: hardware reports are kilobytes; 1 MiB leaves room for later status. */
    maxAgentMessageBytes: z.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** How long a new Connect stream has to send its Hello. */
    helloTimeoutMs: durationMs.default('10s'),
    /** Mean time between a worker's compute challenges (each draws uniformly from 0.5–1.5 × this). */
    challengeIntervalMs: durationMs.default('6h'),
    /** Wait after a connect or a hardware change before challenging an unverified worker. */
    challengeDelayMs: durationMs.default('1s'),
    /** Freivalds rounds per tile: a wrong tile row passes each with probability ≤ 2^-20, so 2 rounds bound it by 2^-40. */
    freivaldsRounds: z.number().int().min(1).max(16).default(2),
    /** Tiles the agent must reveal per device: an answer with a fraction f of honest tiles passes with probability ≤ f^tiles. */
    revealTiles: z.number().int().min(1).max(64).default(8),
    /** How long a CPU-only worker may take for its small challenge (it proves the answer, not the speed). */
    cpuChallengeDeadlineMs: durationMs.default('10s'),
    /** Host time an honest agent needs besides the kernel (helper request, deriving B, copying fingerprints, hashing); the worker's measured RTT p99 is added. */
    challengeHostAllowanceMs: durationMs.default('200ms'),
    /** RTT assumed for a worker before the scheduler has measured one. */
    challengeDefaultRttMs: durationMs.default('100ms'),
    /** A JSON file of the same shape as src/scheduler/trust/gpu-throughput.json, replacing the built-in table. */
    gpuThroughputFile: z.string().min(1).optional(),
    /** Worker threads that verify revealed tiles (default: cores − 1, at most 4). */
    verifyThreads: z.number().int().min(1).max(64).optional(),
    /** How often each worker's heartbeat RTT mean and jitter go into its reputation log. */
    rttReportIntervalMs: durationMs.default('60s'),
    /** Shard output stored per attempt (the cap agents are told; past it one marker, then nothing). 1 MiB: logs, not data. */
    maxAttemptOutputBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
    /** Shard output stored per job, over all its attempts: 64 MiB of etcd per job at most. */
    maxJobOutputBytes: z.number().int().min(1024).max(4 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
    /** Output rate per attempt (bytes/s, a token bucket); chunks over it are dropped with a marker. 64 KiB/s: 1,000 chatty shards stay under etcd's write budget. */
    outputRateBytesPerSec: z.number().int().min(1024).max(1024 * 1024 * 1024).default(64 * 1024),
    /** The bucket's size: output an attempt may send at once before the rate applies. */
    outputBurstBytes: z.number().int().min(16 * 1024, 'expected at least 16384 (one agent output batch)').max(1024 * 1024 * 1024).default(512 * 1024),
    /** A TLS directory (ca.crt, ca.key, server.crt, server.key; `tessera certs init`). */
    tlsDir: z.string().min(1).optional(),
    /** Serve plaintext: only on a private network or behind a TLS proxy. */
    insecure: z.boolean().default(false),
    /** How long a worker's client certificate is valid; agents renew at two thirds of it. */
    clientCertTtlMs: durationMs.default('30d').refine((ms) => ms >= 3_600_000 && ms <= 825 * 86_400_000, 'expected 1h to 825d'),
    /** Identifies this replica in live records and logs. */
    schedulerId: z.string().min(1).default(() => `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`),
  })
  .refine((c) => c.tlsDir !== undefined || c.insecure, {
    message: 'expected a TLS directory (`tessera certs init --dir DIR --hosts NAMES`), or --insecure to serve plaintext',
    path: ['tlsDir'],
  })
  .refine((c) => c.maxAttemptOutputBytes <= c.maxJobOutputBytes, {
    message: 'expected the per-attempt output cap ≤ the per-job cap',
    path: ['maxAttemptOutputBytes'],
  })
  .refine((c) => c.heartbeatIntervalMs * 3 <= c.leaseTtlMs, {
    message: 'expected heartbeat interval × 3 ≤ lease TTL, so one lost beat does not take a worker offline',
    path: ['heartbeatIntervalMs'],
  });

/** SchedulerConfig is the compiled configuration. */
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;

export const SCHEDULER_SETTING_NAMES = {
  listen: '--listen / TESSERA_SCHEDULER_LISTEN',
  metricsListen: '--metrics-listen / TESSERA_SCHEDULER_METRICS_LISTEN',
  etcdEndpoints: '--etcd / TESSERA_ETCD',
  etcdPrefix: '--etcd-prefix / TESSERA_ETCD_PREFIX',
  leaseTtlMs: '--lease-ttl / TESSERA_LEASE_TTL',
  heartbeatIntervalMs: '--heartbeat-interval / TESSERA_HEARTBEAT_INTERVAL',
  maxAgentMessageBytes: '--max-agent-message-bytes',
  helloTimeoutMs: '--hello-timeout',
  schedulerId: '--scheduler-id / TESSERA_SCHEDULER_ID',
  challengeIntervalMs: '--challenge-interval',
  challengeDelayMs: '--challenge-delay',
  freivaldsRounds: '--freivalds-rounds',
  revealTiles: '--reveal-tiles',
  cpuChallengeDeadlineMs: '--cpu-challenge-deadline',
  challengeHostAllowanceMs: '--challenge-host-allowance',
  challengeDefaultRttMs: '--challenge-default-rtt',
  gpuThroughputFile: '--gpu-throughput-file / TESSERA_GPU_THROUGHPUT_FILE',
  verifyThreads: '--verify-threads',
  rttReportIntervalMs: '--rtt-report-interval',
  maxAttemptOutputBytes: '--max-attempt-output-bytes',
  maxJobOutputBytes: '--max-job-output-bytes',
  outputRateBytesPerSec: '--output-rate',
  outputBurstBytes: '--output-burst',
  tlsDir: '--tls-dir / TESSERA_TLS_DIR',
  insecure: '--insecure',
  clientCertTtlMs: '--client-cert-ttl',
};

/** parseSchedulerConfig validates raw settings (flags and env already merged). */
export function parseSchedulerConfig(raw: unknown): SchedulerConfig {
  return parseConfig(schedulerConfigSchema, raw, SCHEDULER_SETTING_NAMES);
}
