/**
 * `tessera agent`: runs on a worker; dials the scheduler, proves its hardware, stays connected.
 */
import { Command, Option } from 'commander';
import { parseAgentConfig } from '../../agent/config.js';
import { createLogger } from '../../common/logger.js';
import { failAndExit } from '../lifecycle.js';
import { addLogOptions, addSecretFileOption, applyLogOptions, toInt, type LogFlags } from '../options.js';

interface Flags extends LogFlags {
  scheduler?: string;
  joinToken?: string;
  stateDir?: string;
  name?: string;
  region?: string;
  labels?: string;
  metricsListen?: string;
  backoffInitial?: string;
  backoffMax?: string;
  connectTimeout?: string;
  maxShardOutputBytes?: number;
  killGrace?: string;
  advertiseAddress?: string;
  python?: string;
  nvidiaSmi?: string;
  shardRoot?: string;
  insecureNoSandbox?: boolean;
  sandboxUidBase?: number;
  shardMaxPids?: number;
  bwrap?: string;
  insecure?: boolean;
}

export function agentCommand(): Command {
  return addSecretFileOption(addLogOptions(new Command('agent')
    .description('Run the agent on a worker machine: join the fleet and stay connected')
    .addOption(new Option('--scheduler <host:port>', 'scheduler AgentService address (required)').env('TESSERA_SCHEDULER'))
    .addOption(new Option('--join-token <token>', 'one-time join token; needed until the agent has an identity').env('TESSERA_JOIN_TOKEN'))
    .addOption(new Option('--state-dir <dir>', 'where the worker identity is kept (default: ~/.tessera/agent)').env('TESSERA_AGENT_STATE_DIR'))
    .addOption(new Option('--name <name>', 'worker name (default: host name)').env('TESSERA_WORKER_NAME'))
    .addOption(new Option('--region <region>', 'region this worker is in (default: local)').env('TESSERA_REGION'))
    .addOption(new Option('--labels <k=v,...>', 'labels for placement').env('TESSERA_LABELS'))
    .addOption(new Option('--metrics-listen <host:port>', 'agent /metrics address (default: 127.0.0.1:9472)').env('TESSERA_AGENT_METRICS_LISTEN'))
    .addOption(new Option('--backoff-initial <duration>', 'first reconnect delay (default: 500ms)'))
    .addOption(new Option('--backoff-max <duration>', 'longest reconnect delay (default: 15s)'))
    .addOption(new Option('--connect-timeout <duration>', 'give up on a connection not accepted within this (default: 10s)'))
    .addOption(new Option('--max-shard-output-bytes <n>', 'output kept per shard attempt (default: 1048576)').argParser(toInt))
    .addOption(new Option('--kill-grace <duration>', 'SIGTERM → SIGKILL grace for cancelled shards (default: 10s)'))
    .addOption(new Option('--advertise-address <addr>', 'address gang ranks reach this worker at (default: first non-loopback IPv4)').env('TESSERA_ADVERTISE_ADDRESS'))
    .addOption(new Option('--python <path>', 'Python with PyTorch for GPU challenges (default: /usr/bin/python3)').env('TESSERA_PYTHON'))
    .addOption(new Option('--nvidia-smi <path>', 'nvidia-smi to run (default: nvidia-smi on PATH)').env('TESSERA_NVIDIA_SMI'))
    .addOption(new Option('--shard-root <dir>', 'where shard directories go, outside --state-dir (default: /var/lib/tessera/shards/<id> as root)').env('TESSERA_SHARD_ROOT'))
    .addOption(new Option('--insecure-no-sandbox', 'run tenants\' shards without a sandbox when this agent cannot make one (not root, no bubblewrap); only jobs with allowUnsandboxed are placed here'))
    .addOption(new Option('--sandbox-uid-base <uid>', 'first of the 1,000 uids shards run as (default: one of 1,000 pools from 200000, by the shard root)').argParser(toInt))
    .addOption(new Option('--shard-max-pids <n>', 'processes and threads per shard (default: 4096)').argParser(toInt))
    .addOption(new Option('--bwrap <path>', 'bubblewrap to run (default: bwrap on PATH)'))
    .addOption(new Option('--insecure', 'talk plaintext to a scheduler started with --insecure (default: TLS, trusting the CA the join token pins)')))
    .action(async (flags: Flags) => {
      applyLogOptions(flags);
      const logger = createLogger('agent');
      try {
        const config = parseAgentConfig({
          scheduler: flags.scheduler,
          joinToken: flags.joinToken,
          stateDir: flags.stateDir,
          name: flags.name,
          region: flags.region,
          labels: flags.labels,
          metricsListen: flags.metricsListen,
          backoffInitialMs: flags.backoffInitial,
          backoffMaxMs: flags.backoffMax,
          connectTimeoutMs: flags.connectTimeout,
          maxShardOutputBytes: flags.maxShardOutputBytes,
          killGraceMs: flags.killGrace,
          advertiseAddress: flags.advertiseAddress,
          python: flags.python,
          nvidiaSmi: flags.nvidiaSmi,
          shardRoot: flags.shardRoot,
          insecureNoSandbox: flags.insecureNoSandbox,
          sandboxUidBase: flags.sandboxUidBase,
          shardMaxPids: flags.shardMaxPids,
          bwrap: flags.bwrap,
          insecure: flags.insecure,
        });
        const { Agent } = await import('../../agent/agent.js');
        const agent = new Agent(config, logger);
        const stop = (signal: string): void => {
          logger.info({ signal }, 'stopping: saying goodbye to the scheduler');
          void agent.stop();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await agent.run();
      } catch (err) {
        if (err instanceof Error && err.name === 'AgentFatalError') {
          logger.error(err.message);
          process.exit(1);
        }
        failAndExit(err, logger);
      }
    }),
  // The join token can come from a file instead, so it is in neither argv (ps) nor the environment.
  { key: 'joinToken', flag: '--join-token' },
  { flag: '--join-token-file', env: 'TESSERA_JOIN_TOKEN_FILE', help: 'read the join token from this file (first line) instead of --join-token; a missing file is no token (needed only until the agent has an identity)', missingOk: true });
}
