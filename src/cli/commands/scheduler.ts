/**
 * `tessera scheduler`: serves AgentService and keeps the topology in etcd.
 */
import { Command, Option } from 'commander';
import { createLogger } from '../../common/logger.js';
import { parseSchedulerConfig } from '../../scheduler/config.js';
import { failAndExit } from '../lifecycle.js';
import { serve } from '../serve.js';
import { addLogOptions, addStoreOptions, applyLogOptions, splitList, toInt, type LogFlags, etcdSecurityFrom, type EtcdFlags } from '../options.js';

interface Flags extends LogFlags, EtcdFlags {
  tlsDir?: string;
  insecure?: boolean;
  clientCertTtl?: string;
  listen?: string;
  metricsListen?: string;
  etcd?: string;
  etcdPrefix?: string;
  leaseTtl?: string;
  heartbeatInterval?: string;
  maxAgentMessageBytes?: number;
  schedulerId?: string;
  challengeInterval?: string;
  challengeDelay?: string;
  challengeHostAllowance?: string;
  gpuThroughputFile?: string;
  verifyThreads?: number;
  rttReportInterval?: string;
  maxAttemptOutputBytes?: number;
  maxJobOutputBytes?: number;
  outputRate?: number;
  outputBurst?: number;
}

export function schedulerCommand(): Command {
  const command = new Command('scheduler')
    .description('Run the scheduler: agents dial in here; the topology lives in etcd')
    .addOption(new Option('--tls-dir <dir>', 'serve TLS from this directory: ca.crt, server.crt, server.key, and ca.key to sign workers\' certificates (tessera certs init)').env('TESSERA_TLS_DIR'))
    .addOption(new Option('--insecure', 'serve plaintext (a private network, or TLS ended by a proxy in front)'))
    .addOption(new Option('--client-cert-ttl <duration>', 'validity of workers\' client certificates; agents renew at 2/3 (default: 30d)'))
    .addOption(new Option('--listen <host:port>', 'AgentService gRPC address (default: 0.0.0.0:7070)').env('TESSERA_SCHEDULER_LISTEN'))
    .addOption(new Option('--metrics-listen <host:port>', 'Prometheus /metrics address (default: 127.0.0.1:9470, loopback only)').env('TESSERA_SCHEDULER_METRICS_LISTEN'))
    .addOption(new Option('--lease-ttl <duration>', 'a silent worker goes offline after this (default: 10s)').env('TESSERA_LEASE_TTL'))
    .addOption(new Option('--heartbeat-interval <duration>', 'how often agents beat (default: 2s)').env('TESSERA_HEARTBEAT_INTERVAL'))
    .addOption(new Option('--max-agent-message-bytes <n>', 'largest message an agent may send (default: 1048576)').argParser(toInt))
    .addOption(new Option('--scheduler-id <id>', 'name of this replica (default: host-pid-random)').env('TESSERA_SCHEDULER_ID'))
    .addOption(new Option('--challenge-interval <duration>', 'mean time between compute challenges per worker (default: 6h)'))
    .addOption(new Option('--challenge-delay <duration>', 'wait before challenging a new or changed worker (default: 1s)'))
    .addOption(new Option('--challenge-host-allowance <duration>', 'host time allowed besides the kernel; the worker\'s RTT p99 is added (default: 200ms)'))
    .addOption(new Option('--gpu-throughput-file <path>', 'replace the built-in per-model throughput table (same JSON shape)').env('TESSERA_GPU_THROUGHPUT_FILE'))
    .addOption(new Option('--verify-threads <n>', 'threads verifying challenge answers (default: cores - 1, at most 4)').argParser(toInt))
    .addOption(new Option('--rtt-report-interval <duration>', 'how often RTT jitter goes into reputation logs (default: 60s)'))
    .addOption(new Option('--max-attempt-output-bytes <n>', 'shard output stored per attempt, told to agents; an agent sending well past it is cut off (default: 1048576)').argParser(toInt))
    .addOption(new Option('--max-job-output-bytes <n>', 'shard output stored per job, all attempts together (default: 67108864)').argParser(toInt))
    .addOption(new Option('--output-rate <bytes-per-second>', 'output stored per attempt per second; faster output is dropped with a marker (default: 65536)').argParser(toInt))
    .addOption(new Option('--output-burst <n>', 'output an attempt may send at once before --output-rate applies (default: 524288)').argParser(toInt));
  addStoreOptions(command);
  addLogOptions(command);
  return command.action(async (flags: Flags) => {
    applyLogOptions(flags);
    const logger = createLogger('scheduler');
    try {
      const config = parseSchedulerConfig({
        tlsDir: flags.tlsDir,
        insecure: flags.insecure,
        clientCertTtlMs: flags.clientCertTtl,
        listen: flags.listen,
        metricsListen: flags.metricsListen,
        etcdEndpoints: splitList(flags.etcd),
        etcdPrefix: flags.etcdPrefix,
        leaseTtlMs: flags.leaseTtl,
        heartbeatIntervalMs: flags.heartbeatInterval,
        maxAgentMessageBytes: flags.maxAgentMessageBytes,
        schedulerId: flags.schedulerId,
        challengeIntervalMs: flags.challengeInterval,
        challengeDelayMs: flags.challengeDelay,
        challengeHostAllowanceMs: flags.challengeHostAllowance,
        gpuThroughputFile: flags.gpuThroughputFile,
        verifyThreads: flags.verifyThreads,
        rttReportIntervalMs: flags.rttReportInterval,
        maxAttemptOutputBytes: flags.maxAttemptOutputBytes,
        maxJobOutputBytes: flags.maxJobOutputBytes,
        outputRateBytesPerSec: flags.outputRate,
        outputBurstBytes: flags.outputBurst,
      });
      if (config.etcdEndpoints.length === 0) logger.warn('no --etcd given: the topology lives in this process and other components cannot see it');
      const { startScheduler } = await import('../../scheduler/scheduler.js');
      await serve(logger, config, etcdSecurityFrom(flags), (store, kv) => startScheduler(config, store, kv, logger));
    } catch (err) {
      failAndExit(err, logger);
    }
  });
}
