/**
 * settings: every setting of `tessera scheduler`, defined once (see common/settings.ts).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { address, bytes, duration, integer, setting, text } from '../common/settings.js';
import { SERVE_PLAINTEXT, STORE_SETTINGS } from '../common/shared-settings.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** SCHEDULER_SETTINGS: the scheduler's table, in the order help and the README list it. */
export const SCHEDULER_SETTINGS = {
  listen: setting(address(), { flag: '--listen', env: 'TESSERA_SCHEDULER_LISTEN', default: '0.0.0.0:7070', help: '`AgentService` gRPC address, where agents dial in' }),
  // Loopback unless configured: set a private address for a remote Prometheus.
  metricsListen: setting(address(), { flag: '--metrics-listen', env: 'TESSERA_SCHEDULER_METRICS_LISTEN', default: '127.0.0.1:9470', help: 'Prometheus `/metrics` address (loopback unless configured)' }),
  ...STORE_SETTINGS,
  // 10 s, as Nomad's default heartbeat grace; etcd counts whole seconds.
  leaseTtlMs: setting(duration({ min: '2s', max: '5m' }), { flag: '--lease-ttl', env: 'TESSERA_LEASE_TTL', default: '10s', help: 'a silent worker goes offline after this' }),
  heartbeatIntervalMs: setting(duration({ min: '100ms' }), { flag: '--heartbeat-interval', env: 'TESSERA_HEARTBEAT_INTERVAL', default: '2s', help: 'how often agents beat; 3 beats must fit in the lease TTL' }),
  // Hardware reports are kilobytes; 1 MiB leaves room for later status.
  maxAgentMessageBytes: setting(bytes({ min: 64 * KiB, max: 64 * MiB }), { flag: '--max-agent-message-bytes', default: MiB, help: 'largest message an agent may send; larger ones get `RESOURCE_EXHAUSTED`' }),
  schedulerId: setting(text(), {
    flag: '--scheduler-id',
    placeholder: '<id>',
    env: 'TESSERA_SCHEDULER_ID',
    default: () => `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`,
    shown: 'host-pid-random',
    help: 'names this replica in live records and logs',
  }),
  challengeIntervalMs: setting(duration(), { flag: '--challenge-interval', default: '6h', help: "mean time between a worker's compute challenges (each draws uniformly from 0.5–1.5 × this)" }),
  challengeDelayMs: setting(duration(), { flag: '--challenge-delay', default: '1s', help: 'wait before challenging a new or changed worker' }),
  challengeHostAllowanceMs: setting(duration(), {
    flag: '--challenge-host-allowance',
    default: '200ms',
    help: "host time allowed besides the kernel (helper request, deriving B, hashing); the worker's measured RTT p99 is added",
    docs: '([docs/trust.md](docs/trust.md))',
  }),
  gpuThroughputFile: setting(text(), {
    flag: '--gpu-throughput-file',
    placeholder: '<path>',
    env: 'TESSERA_GPU_THROUGHPUT_FILE',
    shown: 'the built-in table',
    help: 'per-model achievable rates replacing the built-in table (the JSON shape of `src/scheduler/trust/gpu-throughput.json`)',
  }),
  verifyThreads: setting(integer({ min: 1, max: 64 }), { flag: '--verify-threads', shown: 'cores − 1, at most 4', help: 'worker threads that check revealed challenge tiles' }),
  rttReportIntervalMs: setting(duration(), { flag: '--rtt-report-interval', default: '60s', help: 'how often the RTT mean and jitter the scheduler measured (Ping/Pong) go into the reputation log' }),
  // 1 MiB: logs, not data.
  maxAttemptOutputBytes: setting(bytes({ min: KiB, max: GiB }), {
    flag: '--max-attempt-output-bytes',
    default: MiB,
    help: 'shard output stored per attempt; told to agents in `AssignShard`, and an agent sending 64 KiB past it is cut off and flagged',
    docs: '([docs/jobs.md](docs/jobs.md#output-limits))',
  }),
  // 64 MiB of etcd per job at most.
  maxJobOutputBytes: setting(bytes({ min: KiB, max: 4 * GiB }), { flag: '--max-job-output-bytes', default: 64 * MiB, help: 'shard output stored per job, all attempts together' }),
  // 64 KiB/s: 1,000 chatty shards stay under etcd's write budget.
  outputRateBytesPerSec: setting(bytes({ min: KiB, max: GiB }), {
    flag: '--output-rate',
    placeholder: '<bytes-per-second>',
    default: 64 * KiB,
    help: 'output stored per attempt per second (a token bucket); faster output is dropped with a marker',
  }),
  // At least one 16 KiB agent output batch.
  outputBurstBytes: setting(bytes({ min: 16 * KiB, max: GiB }), { flag: '--output-burst', default: 512 * KiB, help: 'output an attempt may send at once before `--output-rate` applies' }),
  tlsDir: setting(text(), {
    flag: '--tls-dir',
    placeholder: '<dir>',
    env: 'TESSERA_TLS_DIR',
    help: "serve TLS from this directory: `ca.crt`, `server.crt`, `server.key`, and `ca.key` to sign workers' client certificates (`tessera certs init`); needed unless `--insecure`",
    docs: '([docs/security.md](docs/security.md#tls-everywhere))',
  }),
  insecure: SERVE_PLAINTEXT,
  clientCertTtlMs: setting(duration({ min: '1h', max: '825d' }), { flag: '--client-cert-ttl', default: '30d', help: "validity of workers' client certificates; agents renew at 2/3" }),
};
