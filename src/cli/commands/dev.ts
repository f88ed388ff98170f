/**
 * `tessera dev`: a whole local fleet in one command — scheduler, gateway and N agents (real
 * child processes) on an in-memory store, or on etcd when a URL is given or an etcd binary is
 * found. It waits for the agents, runs the demo through the gateway's API, and prints where
 * everything listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, type OptionValues } from 'commander';
import { createLogger, type Logger } from '../../common/logger.js';
import { splitHostPort } from '../../common/net.js';
import { findProgram } from '../../common/programs.js';
import { addSettingOptions, settingsFromFlags } from '../../common/settings.js';
import { parseGatewayConfig } from '../../gateway/config.js';
import { parseSchedulerConfig } from '../../scheduler/config.js';
import type { TopologyStore } from '../../store/topology-store.js';
import type { EtcdServer } from '../../store/etcd-server.js';
import type { GatewayServiceClient } from '../../gen/tessera/v1/GatewayService.js';
import { DEV_SETTINGS, parseDevConfig, type DevConfig } from '../dev-settings.js';
import { workersTable } from '../format.js';
import { failAndExit, untilSignal, type Stoppable } from '../lifecycle.js';
import { addLogOptions, applyLogOptions } from '../options.js';

/** TESSERA_BIN is the CLI entry point the agents are started with. */
const TESSERA_BIN = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));
/** AGENTS_ONLINE_TIMEOUT_MS: agents start in about a second each on 2 cores; allow for a slow machine. */
const AGENTS_ONLINE_TIMEOUT_MS = 60_000;

export function devCommand(): Command {
  const command = addLogOptions(new Command('dev')).description('Run a local fleet (scheduler, gateway, N agents) and a demo');
  return addSettingOptions(command, DEV_SETTINGS)
    .addHelpText('after', '\nOn a terminal, the fleet\'s logs (JSON lines) go to a file whose path is printed, and the terminal\nshows progress only; --log-format pretty|json puts them on the terminal instead.')
    .action(async (flags: OptionValues) => {
      applyLogOptions(flags);
      const screen = devConsole();
      const logger = createLogger('dev');
      try {
        await runDev(parseDevConfig(settingsFromFlags(DEV_SETTINGS, flags)), logger, screen);
      } catch (err) {
        failAndExit(err, logger);
      }
    });
}

/**
 * DevConsole: what `tessera dev` shows a person. On a terminal with the default log format the
 * whole fleet logs to a file and the terminal gets short status lines and an in-place progress
 * bar; when logs share the terminal (not a TTY, or --log-format given) status lines are left to
 * the logs and the progress bar prints one line per change, so no line is ever drawn over.
 */
interface DevConsole {
  /** logFile: where the fleet's JSON log lines go, when they do not go to the terminal. */
  logFile: string | undefined;
  /** quiet: the terminal carries no log lines, so status lines and an in-place bar are safe. */
  quiet: boolean;
  say(text: string): void;
}

function devConsole(env: NodeJS.ProcessEnv = process.env): DevConsole {
  const quiet = process.stdout.isTTY === true && (env.TESSERA_LOG_FORMAT ?? 'auto') === 'auto';
  if (quiet && !env.TESSERA_LOG_FILE) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    env.TESSERA_LOG_FILE = join(tmpdir(), `tessera-dev-${stamp}-${process.pid}.log`);
  }
  const logFile = env.TESSERA_LOG_FILE;
  if (quiet) process.stdout.write(`Tessera dev fleet: logs go to ${logFile}\n  (JSON lines; read them with: npx pino-pretty < ${logFile})\n`);
  return { logFile, quiet, say: (text) => quiet && process.stdout.write(`${text}\n`) };
}

async function runDev(config: DevConfig, logger: Logger, screen: DevConsole): Promise<void> {
  const { findEtcdBinary, startEtcdServer } = await import('../../store/etcd-server.js');
  const { openStore } = await import('../../store/open-store.js');
  const { startScheduler } = await import('../../scheduler/scheduler.js');
  const { startGateway } = await import('../../gateway/gateway.js');
  const { createJoinToken } = await import('../../store/join-tokens.js');
  const { connectGateway, listWorkers } = await import('../gateway-client.js');
  const parts: Stoppable[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'tessera-dev-'));
  parts.push({ stop: () => rm(workDir, { recursive: true, force: true }) });

  let endpoints = config.etcdEndpoints;
  if (endpoints.length === 0 && config.store !== 'memory') {
    if (findEtcdBinary()) {
      const etcd: EtcdServer = await startEtcdServer({ dataDir: join(workDir, 'etcd') });
      parts.push(etcd);
      endpoints = [etcd.endpoint];
      logger.info({ endpoint: etcd.endpoint }, 'started a private etcd');
      screen.say(`  store       a private etcd at ${etcd.endpoint}`);
    } else if (config.store === 'etcd') {
      throw new Error('--store etcd: no etcd binary found (apt-get install -y etcd-server) and no --etcd URL given');
    }
  }
  if (endpoints.length === 0) screen.say('  store       in memory (no etcd found; apt-get install etcd-server, or pass --etcd)');
  const store: TopologyStore = await openStore({ etcdEndpoints: endpoints, etcdPrefix: '/tessera/v1/', logger });
  const kv = store.kv;
  parts.push({ stop: () => kv.close() });

  // TLS by default, from a CA made for this run; its certificate names every address dev listens on.
  let tls: { dir: string; caFile: string; pin: string } | undefined;
  if (!config.insecure) {
    const { initTlsDir } = await import('../../common/tls.js');
    const dir = join(workDir, 'tls');
    const hosts = [...new Set(['127.0.0.1', 'localhost', hostname(), ...[config.schedulerListen, config.gatewayListen].map((a) => splitHostPort(a).host)])].filter((h) => h && h !== '0.0.0.0' && h !== '::');
    const { pin } = await initTlsDir(dir, hosts, { caName: 'Tessera dev CA' });
    tls = { dir, caFile: join(dir, 'ca.crt'), pin };
    screen.say(`  tls         dev CA ${tls.caFile} (${pin})`);
  } else screen.say('  tls         OFF (--insecure): plaintext on every port');
  const security = tls ? { tlsDir: tls.dir } : { insecure: true };
  const scheduler = await startScheduler(
    parseSchedulerConfig({ listen: config.schedulerListen, metricsListen: config.schedulerMetricsListen, etcdEndpoints: endpoints, leaseTtlMs: config.leaseTtlMs, heartbeatIntervalMs: config.heartbeatIntervalMs, ...security }),
    store,
    kv,
    createLogger('scheduler'),
  );
  parts.push(scheduler);
  const gateway = await startGateway(
    parseGatewayConfig({ listen: config.gatewayListen, metricsListen: config.gatewayMetricsListen, etcdEndpoints: endpoints, ...security }),
    store,
    kv,
    createLogger('gateway'),
  );
  parts.push(gateway);

  const { token } = await createJoinToken(store, { uses: config.agents + 16, ttlMs: 86_400_000, description: 'tessera dev' });
  // Shards run sandboxed where the agents can (root, bubblewrap); otherwise the dev fleet says so
  // and runs them unsandboxed, and its demo job allows that.
  const noSandbox = process.getuid?.() !== 0 ? 'not root' : !findProgram('bwrap') ? 'no bubblewrap (apt-get install bubblewrap)' : undefined;
  const sandboxLine = noSandbox ? `  sandbox     OFF: ${noSandbox}; dev agents run shards unsandboxed (--insecure-no-sandbox), so jobs need allowUnsandboxed: true` : '  sandbox     on: each shard its own uid, namespaces and cgroup (bubblewrap)';
  screen.say(sandboxLine);
  const agents = startAgents(config.agents, scheduler.address, token, workDir, { noSandbox: noSandbox !== undefined, plaintext: !tls });
  parts.push({ stop: () => stopAgents(agents) });

  screen.say(`  agents      starting ${config.agents} local agent processes…`);
  await waitForAgents(store, config.agents, logger);
  screen.say(`  agents      ${config.agents}/${config.agents} online`);
  const { JobStore } = await import('../../store/job-store.js');
  const { apiKey } = await new JobStore(kv).createTenant('dev');
  const client = connectGateway(gateway.address, tls?.caFile);
  try {
    const workers = await listWorkers(client);
    process.stdout.write('\nDemo: the fleet, as GatewayService.ListWorkers reports it\n\n' + workersTable(workers));
    if (config.agents > 0 && config.demoJob) await runDemoJob(client, apiKey, screen.quiet, noSandbox !== undefined);
  } finally {
    client.close();
  }
  process.stdout.write(
    [
      '',
      `Tessera dev fleet is up (${store.kind} store${endpoints.length ? ` at ${endpoints.join(',')}` : ''}).`,
      `  gateway     ${gateway.address}    (tessera workers --gateway ${gateway.address})`,
      `  scheduler   ${scheduler.address}`,
      `  metrics     ${scheduler.metricsUrl}  ${gateway.metricsUrl}`,
      `  api key     export TESSERA_API_KEY=${apiKey}   (tenant "dev"; then: tessera submit examples/demo/job.yaml)`,
      sandboxLine,
      ...(tls ? [`  tls         export TESSERA_TLS_CA=${tls.caFile}   (clients trust the dev CA; agents pin it from the join token)`] : ['  tls         off (--insecure)']),
      `  join more   tessera agent --scheduler ${scheduler.address} --join-token ${token} --state-dir /tmp/my-agent --metrics-listen 127.0.0.1:0${tls ? '' : ' --insecure'}`,
      `  ddp example tessera submit examples/ddp/job.yaml   (2-rank PyTorch gang; needs python3-torch: scripts/deps.sh ddp)`,
      ...(screen.logFile ? [`  logs        ${screen.logFile}`] : []),
      config.exitAfterDemo ? '' : 'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  if (config.exitAfterDemo) {
    for (const part of [...parts].reverse()) await part.stop();
    return;
  }
  await untilSignal(logger, parts);
}

/** DEMO_SHARDS: enough shards that every agent runs several, few enough to finish in seconds. */
const DEMO_SHARDS = 12;

async function runDemoJob(client: GatewayServiceClient, apiKey: string, inPlace: boolean, allowUnsandboxed: boolean): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { jobCalls } = await import('../gateway-client.js');
  const { followJob } = await import('../progress.js');
  const script = await readFile(fileURLToPath(new URL('../../../examples/demo/shard.js', import.meta.url)));
  const calls = jobCalls(client, apiKey);
  const { jobId, shardCount } = await calls.submit({
    name: 'demo-primes',
    entrypoint: { command: process.execPath, args: ['shard.js'], files: [{ path: 'shard.js', content: script }], env: { DEMO_LIMIT: '3000000' } },
    resources: { cpuCores: 1 },
    independent: { shardCount: DEMO_SHARDS },
    timeoutSeconds: 120,
    allowUnsandboxed,
  });
  process.stdout.write(`\nDemo job ${jobId}: count the primes below 3,000,000 in ${shardCount} shards\n`);
  await followJob(client, jobId, { apiKey, shardCount, logs: false, inPlace });
  const { job } = await calls.get(jobId);
  const primes = job!.shards.reduce((n, s) => n + ((s.resultJson ? (JSON.parse(s.resultJson) as { primes?: number }).primes : 0) ?? 0), 0);
  const perWorker = new Map<string, number>();
  for (const s of job!.shards) perWorker.set(s.workerId, (perWorker.get(s.workerId) ?? 0) + 1);
  process.stdout.write(`primes below 3,000,000: ${primes} (shards per worker: ${[...perWorker].map(([w, n]) => `${w} ${n}`).join(', ')})\n`);
}

function startAgents(count: number, scheduler: string, token: string, workDir: string, options: { noSandbox: boolean; plaintext: boolean }): ChildProcess[] {
  return Array.from({ length: count }, (_, i) =>
    spawn(
      process.execPath,
      [
        TESSERA_BIN, 'agent', '--scheduler', scheduler, '--join-token', token, '--state-dir', join(workDir, `agent-${i + 1}`), '--name', `dev-agent-${i + 1}`, '--region', 'dev',
        '--metrics-listen', '127.0.0.1:0', '--backoff-max', '5s', '--advertise-address', '127.0.0.1',
        // Agents sharing a machine take uids from pools of their own.
        '--sandbox-uid-base', String(200_000 + i * 1000),
        ...(options.noSandbox ? ['--insecure-no-sandbox'] : []),
        ...(options.plaintext ? ['--insecure'] : []),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], env: process.env },
    ),
  );
}

async function stopAgents(agents: ChildProcess[]): Promise<void> {
  await Promise.all(
    agents.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }),
  );
}

async function waitForAgents(store: TopologyStore, count: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + AGENTS_ONLINE_TIMEOUT_MS;
  let reported = -1;
  for (;;) {
    const online = (await store.listWorkers()).filter((w) => w.online).length;
    if (online !== reported) {
      logger.info({ online, expected: count }, `${online}/${count} agents online`);
      reported = online;
    }
    if (online >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${online} of ${count} agents came online within ${AGENTS_ONLINE_TIMEOUT_MS / 1000}s; see the agent logs above`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
