/**
 * `tessera gateway`: the client-facing API.
 */
import { Command, Option } from 'commander';
import { createLogger } from '../../common/logger.js';
import { parseGatewayConfig } from '../../gateway/config.js';
import { failAndExit } from '../lifecycle.js';
import { serve } from '../serve.js';
import { addLogOptions, addStoreOptions, applyLogOptions, splitList, toInt, type LogFlags, etcdSecurityFrom, type EtcdFlags } from '../options.js';

interface Flags extends LogFlags, EtcdFlags {
  tlsDir?: string;
  insecure?: boolean;
  listen?: string;
  metricsListen?: string;
  etcd?: string;
  etcdPrefix?: string;
  maxWatchStreams?: number;
  jobRetention?: string;
}

export function gatewayCommand(): Command {
  const command = new Command('gateway')
    .description('Run the gateway: the client API (workers now; clusters and jobs as they land)')
    .addOption(new Option('--tls-dir <dir>', 'serve TLS from this directory: ca.crt, server.crt, server.key (tessera certs init)').env('TESSERA_TLS_DIR'))
    .addOption(new Option('--insecure', 'serve plaintext (a private network, or TLS ended by a proxy in front)'))
    .addOption(new Option('--listen <host:port>', 'GatewayService gRPC address (default: 0.0.0.0:7080)').env('TESSERA_GATEWAY_LISTEN'))
    .addOption(new Option('--metrics-listen <host:port>', 'Prometheus /metrics address (default: 127.0.0.1:9471, loopback only)').env('TESSERA_GATEWAY_METRICS_LISTEN'))
    .addOption(new Option('--max-watch-streams <n>', 'WatchWorkers streams at once (default: 1000)').argParser(toInt))
    .addOption(new Option('--job-retention <duration>', 'how long jobs and their events are kept (default: 14d)').env('TESSERA_JOB_RETENTION'));
  addStoreOptions(command);
  addLogOptions(command);
  return command.action(async (flags: Flags) => {
    applyLogOptions(flags);
    const logger = createLogger('gateway');
    try {
      const config = parseGatewayConfig({
        tlsDir: flags.tlsDir,
        insecure: flags.insecure,
        listen: flags.listen,
        metricsListen: flags.metricsListen,
        etcdEndpoints: splitList(flags.etcd),
        etcdPrefix: flags.etcdPrefix,
        maxWatchStreams: flags.maxWatchStreams,
        jobRetentionMs: flags.jobRetention,
      });
      if (config.etcdEndpoints.length === 0) logger.warn('no --etcd given: this gateway sees an empty in-memory store');
      const { startGateway } = await import('../../gateway/gateway.js');
      await serve(logger, config, etcdSecurityFrom(flags), (store, kv) => startGateway(config, store, kv, logger));
    } catch (err) {
      failAndExit(err, logger);
    }
  });
}
