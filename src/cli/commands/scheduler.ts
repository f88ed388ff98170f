/**
 * `tessera scheduler`: serves AgentService and keeps the topology in etcd.
 */
import { Command, Option } from 'commander';
import { createLogger } from '../../common/logger.js';
import { parseSchedulerConfig } from '../../scheduler/config.js';
import { failAndExit } from '../lifecycle.js';
import { serve } from '../serve.js';
import { addLogOptions, addStoreOptions, applyLogOptions, splitList, toInt, type LogFlags } from '../options.js';

interface Flags extends LogFlags {
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
}

export function schedulerCommand(): Command {
  const command = new Command('scheduler')
    .description('Run the scheduler: agents dial in here; the topology lives in etcd')
    .addOption(new Option('--listen <host:port>', 'AgentService gRPC address (default: 0.0.0.0:7070)').env('TESSERA_SCHEDULER_LISTEN'))
    .addOption(new Option('--metrics-listen <host:port>', 'Prometheus /metrics address (default: 0.0.0.0:9470)').env('TESSERA_SCHEDULER_METRICS_LISTEN'))
    .addOption(new Option('--lease-ttl <duration>', 'a silent worker goes offline after this (default: 10s)').env('TESSERA_LEASE_TTL'))
    .addOption(new Option('--heartbeat-interval <duration>', 'how often agents beat (default: 2s)').env('TESSERA_HEARTBEAT_INTERVAL'))
    .addOption(new Option('--max-agent-message-bytes <n>', 'largest message an agent may send (default: 1048576)').argParser(toInt))
    .addOption(new Option('--scheduler-id <id>', 'name of this replica (default: host-pid-random)').env('TESSERA_SCHEDULER_ID'))
    .addOption(new Option('--challenge-interval <duration>', 'mean time between compute challenges per worker (default: 6h)'))
    .addOption(new Option('--challenge-delay <duration>', 'wait before challenging a new or changed worker (default: 1s)'))
    .addOption(new Option('--challenge-host-allowance <duration>', 'host time allowed besides the kernel; the worker\'s RTT p99 is added (default: 200ms)'))
    .addOption(new Option('--gpu-throughput-file <path>', 'replace the built-in per-model throughput table (same JSON shape)').env('TESSERA_GPU_THROUGHPUT_FILE'))
    .addOption(new Option('--verify-threads <n>', 'threads verifying challenge answers (default: cores - 1, at most 4)').argParser(toInt))
    .addOption(new Option('--rtt-report-interval <duration>', 'how often RTT jitter goes into reputation logs (default: 60s)'));
  addStoreOptions(command);
  addLogOptions(command);
  return command.action(async (flags: Flags) => {
    applyLogOptions(flags);
    const logger = createLogger('scheduler');
    try {
      const config = parseSchedulerConfig({
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
      });
      if (config.etcdEndpoints.length === 0) logger.warn('no --etcd given: the topology lives in this process and other components cannot see it');
      const { startScheduler } = await import('../../scheduler/scheduler.js');
      await serve(logger, config, (store, kv) => startScheduler(config, store, kv, logger));
    } catch (err) {
      failAndExit(err, logger);
    }
  });
}
