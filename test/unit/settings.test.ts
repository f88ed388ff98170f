import { readFileSync } from 'node:fs';
import { Command, Help } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../src/agent/config.js';
import { AGENT_SETTINGS } from '../../src/agent/settings.js';
import { agentCommand } from '../../src/cli/commands/agent.js';
import { devCommand } from '../../src/cli/commands/dev.js';
import { gatewayCommand } from '../../src/cli/commands/gateway.js';
import { hardwareCommand } from '../../src/cli/commands/hardware.js';
import { schedulerCommand } from '../../src/cli/commands/scheduler.js';
import { DEV_SETTINGS, parseDevConfig } from '../../src/cli/dev-settings.js';
import { SETTINGS_SECTIONS, withSettingsTables } from '../../src/cli/settings-doc.js';
import { ConfigError } from '../../src/common/errors.js';
import { addSettingOptions, defaultText, settingsFromFlags, type SettingsTable } from '../../src/common/settings.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { GATEWAY_SETTINGS } from '../../src/gateway/settings.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';
import { SCHEDULER_SETTINGS } from '../../src/scheduler/settings.js';
import { REPO_ROOT } from '../support/fixtures.js';

const COMPONENTS = {
  scheduler: { table: SCHEDULER_SETTINGS, parse: parseSchedulerConfig },
  gateway: { table: GATEWAY_SETTINGS, parse: parseGatewayConfig },
  agent: { table: AGENT_SETTINGS, parse: parseAgentConfig },
  dev: { table: DEV_SETTINGS, parse: parseDevConfig },
};
type Component = keyof typeof COMPONENTS;

/** configFrom parses a command line as the component's command does: flags and environment, then its schema. */
function configFrom(component: Component, args: string[]): Record<string, unknown> {
  const { table, parse } = COMPONENTS[component];
  const command = addSettingOptions(new Command(component).exitOverride(), table);
  command.parse(args, { from: 'user' });
  return parse(settingsFromFlags(table, command.opts()));
}

// Each test reads only the environment it sets.
const savedEnv = { ...process.env };
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('TESSERA_')) delete process.env[name];
});
afterEach(() => {
  process.env = { ...savedEnv };
});

function thrownBy(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the README', () => {
  const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
  const section = (text: string, name: string): string => text.slice(text.indexOf(`<!-- settings:${name}:begin -->`), text.indexOf(`<!-- settings:${name}:end -->`));

  it.each(Object.keys(SETTINGS_SECTIONS))('lists the %s settings exactly as their table defines them', (name) => {
    expect(section(readme, name), `README.md's ${name} settings differ from the settings tables: run \`npm run docs:settings\``).toBe(section(withSettingsTables(readme), name));
  });
});

describe('setting errors', () => {
  it.each<[Component, string[], string, string]>([
    ['scheduler', ['--insecure', '--lease-ttl', 'soon'], '--lease-ttl / TESSERA_LEASE_TTL', 'expected a duration such as 500ms, 10s, 5m, 1h or 7d'],
    ['scheduler', ['--insecure', '--lease-ttl', '1s'], '--lease-ttl / TESSERA_LEASE_TTL', 'expected 2s to 5m'],
    ['scheduler', ['--insecure', '--heartbeat-interval', '50ms'], '--heartbeat-interval / TESSERA_HEARTBEAT_INTERVAL', 'expected at least 100ms'],
    ['scheduler', ['--insecure', '--max-job-output-bytes', 'lots'], '--max-job-output-bytes', 'expected a size in bytes such as 1048576 or 1MiB'],
    ['scheduler', ['--insecure', '--output-burst', '1KiB'], '--output-burst', 'expected 16KiB to 1GiB'],
    ['scheduler', ['--insecure', '--verify-threads', 'two'], '--verify-threads', 'expected a whole number'],
    ['scheduler', [], '--tls-dir / TESSERA_TLS_DIR', 'expected a TLS directory (`tessera certs init --dir DIR --hosts NAMES`), or --insecure to serve plaintext'],
    ['gateway', ['--insecure', '--etcd', 'http://127.0.0.1:2379,not a url'], '--etcd / TESSERA_ETCD', 'expected an etcd URL such as http://127.0.0.1:2379'],
    ['gateway', ['--insecure', '--job-retention', '30s'], '--job-retention / TESSERA_JOB_RETENTION', 'expected at least 1m'],
    ['agent', [], '--scheduler / TESSERA_SCHEDULER', 'expected a value: this setting is required'],
    ['agent', ['--scheduler', 'sched.example:7070', '--labels', 'tier'], '--labels / TESSERA_LABELS', 'expected key=value pairs separated by commas, got "tier"'],
    ['dev', ['--agents', '65'], '--agents', 'expected 0 to 64'],
    ['dev', ['--lease-ttl', 'forever'], '--lease-ttl', 'expected a duration such as 500ms, 10s, 5m, 1h or 7d'],
  ])('%s %j: names %s and says "%s"', (component, args, setting, expected) => {
    const error = thrownBy(() => configFrom(component, args));
    expect({ setting: error.setting, expected: error.expected }).toEqual({ setting, expected });
  });
});

describe('reading settings', () => {
  it('takes a value from the environment, and a flag over it', () => {
    process.env.TESSERA_LEASE_TTL = '20s';
    expect(configFrom('scheduler', ['--insecure']).leaseTtlMs).toBe(20_000);
    expect(configFrom('scheduler', ['--insecure', '--lease-ttl', '30s']).leaseTtlMs).toBe(30_000);
  });

  it('reads units: durations, sizes, lists and labels', () => {
    const scheduler = configFrom('scheduler', ['--insecure', '--challenge-interval', '90m', '--max-job-output-bytes', '128MiB', '--output-burst', '65536', '--etcd', 'http://a:2379, http://b:2379']);
    expect(scheduler).toMatchObject({ challengeIntervalMs: 5_400_000, maxJobOutputBytes: 128 * 1024 * 1024, outputBurstBytes: 65_536, etcdEndpoints: ['http://a:2379', 'http://b:2379'] });
    expect(configFrom('agent', ['--scheduler', 'sched.example:7070', '--labels', 'tier=gold, owner=alice', '--shard-max-pids', '64']))
      .toMatchObject({ labels: { tier: 'gold', owner: 'alice' }, shardMaxPids: 64 });
  });

  it('reads switches, including a --no- one', () => {
    expect(configFrom('dev', ['--no-demo-job', '--exit-after-demo'])).toMatchObject({ demoJob: false, exitAfterDemo: true, insecure: false });
  });
});

describe('defaults', () => {
  const MiB = 1024 * 1024;

  it('are the ones each component had before its table', () => {
    expect(configFrom('scheduler', ['--insecure'])).toMatchObject({
      listen: '0.0.0.0:7070', metricsListen: '127.0.0.1:9470', etcdEndpoints: [], etcdPrefix: '/tessera/v1/', leaseTtlMs: 10_000, heartbeatIntervalMs: 2_000,
      maxAgentMessageBytes: MiB, helloTimeoutMs: 10_000, challengeIntervalMs: 6 * 3_600_000, challengeDelayMs: 1_000, freivaldsRounds: 2, revealTiles: 8,
      cpuChallengeDeadlineMs: 10_000, challengeHostAllowanceMs: 200, challengeDefaultRttMs: 100, rttReportIntervalMs: 60_000, maxAttemptOutputBytes: MiB,
      maxJobOutputBytes: 64 * MiB, outputRateBytesPerSec: 64 * 1024, outputBurstBytes: 512 * 1024, clientCertTtlMs: 30 * 86_400_000,
    });
    expect(configFrom('scheduler', ['--insecure'])).not.toHaveProperty('verifyThreads', expect.anything());
    expect(configFrom('gateway', ['--insecure'])).toMatchObject({ listen: '0.0.0.0:7080', metricsListen: '127.0.0.1:9471', maxRequestBytes: 4 * MiB, jobRetentionMs: 14 * 86_400_000, maxWatchStreams: 1000 });
    expect(configFrom('agent', ['--scheduler', 'sched.example:7070'])).toMatchObject({
      region: 'local', labels: {}, metricsListen: '127.0.0.1:9472', backoffInitialMs: 500, backoffMaxMs: 15_000, connectTimeoutMs: 10_000, maxShardOutputBytes: MiB,
      killGraceMs: 10_000, nvidiaSmi: 'nvidia-smi', insecureNoSandbox: false, shardMaxPids: 4096, insecure: false, bwrap: 'bwrap',
    });
    expect(configFrom('dev', [])).toEqual({
      agents: 3, store: 'auto', etcdEndpoints: [], schedulerListen: '127.0.0.1:7070', gatewayListen: '127.0.0.1:7080', schedulerMetricsListen: '127.0.0.1:9470',
      gatewayMetricsListen: '127.0.0.1:9471', leaseTtlMs: 10_000, heartbeatIntervalMs: 2_000, exitAfterDemo: false, demoJob: true, insecure: false,
    });
  });

  it.each(Object.keys(COMPONENTS) as Component[])('of the %s read as help shows them give the same config', (component) => {
    const table: SettingsTable = COMPONENTS[component].table;
    const required = component === 'agent' ? ['--scheduler', 'sched.example:7070'] : component === 'dev' ? [] : ['--insecure'];
    const defaults = configFrom(component, required);
    for (const [key, s] of Object.entries(table)) {
      const shown = defaultText(s);
      if (!shown?.literal) continue;
      expect(configFrom(component, [...required, s.spec.flag, shown.text])[key], `${s.spec.flag} ${shown.text}`).toEqual(defaults[key]);
    }
  });
});

describe('commands', () => {
  // Every flag and environment variable the commands took before their settings had tables.
  const LOG = ['--log-format=TESSERA_LOG_FORMAT', '--log-level=TESSERA_LOG_LEVEL', '--log-file=TESSERA_LOG_FILE'];
  const STORE = ['--etcd=TESSERA_ETCD', '--etcd-prefix=TESSERA_ETCD_PREFIX', '--etcd-ca=TESSERA_ETCD_CA', '--etcd-cert=TESSERA_ETCD_CERT', '--etcd-key=TESSERA_ETCD_KEY', '--etcd-user=TESSERA_ETCD_USER', '--etcd-password-file=TESSERA_ETCD_PASSWORD_FILE'];
  const FLAGS: Array<[string, () => Command, string[]]> = [
    ['scheduler', schedulerCommand, [
      '--tls-dir=TESSERA_TLS_DIR', '--insecure', '--client-cert-ttl', '--listen=TESSERA_SCHEDULER_LISTEN', '--metrics-listen=TESSERA_SCHEDULER_METRICS_LISTEN',
      '--lease-ttl=TESSERA_LEASE_TTL', '--heartbeat-interval=TESSERA_HEARTBEAT_INTERVAL', '--max-agent-message-bytes', '--scheduler-id=TESSERA_SCHEDULER_ID',
      '--challenge-interval', '--challenge-delay', '--challenge-host-allowance', '--gpu-throughput-file=TESSERA_GPU_THROUGHPUT_FILE', '--verify-threads',
      '--rtt-report-interval', '--max-attempt-output-bytes', '--max-job-output-bytes', '--output-rate', '--output-burst', ...STORE, ...LOG,
    ]],
    ['gateway', gatewayCommand, [
      '--tls-dir=TESSERA_TLS_DIR', '--insecure', '--listen=TESSERA_GATEWAY_LISTEN', '--metrics-listen=TESSERA_GATEWAY_METRICS_LISTEN', '--max-watch-streams',
      '--job-retention=TESSERA_JOB_RETENTION', ...STORE, ...LOG,
    ]],
    ['agent', agentCommand, [
      '--scheduler=TESSERA_SCHEDULER', '--join-token=TESSERA_JOIN_TOKEN', '--join-token-file=TESSERA_JOIN_TOKEN_FILE', '--state-dir=TESSERA_AGENT_STATE_DIR',
      '--name=TESSERA_WORKER_NAME', '--region=TESSERA_REGION', '--labels=TESSERA_LABELS', '--metrics-listen=TESSERA_AGENT_METRICS_LISTEN', '--backoff-initial',
      '--backoff-max', '--connect-timeout', '--max-shard-output-bytes', '--kill-grace', '--advertise-address=TESSERA_ADVERTISE_ADDRESS', '--python=TESSERA_PYTHON',
      '--nvidia-smi=TESSERA_NVIDIA_SMI', '--shard-root=TESSERA_SHARD_ROOT', '--insecure-no-sandbox', '--sandbox-uid-base', '--shard-max-pids', '--bwrap', '--insecure', ...LOG,
    ]],
    ['dev', devCommand, [
      '--agents', '--store', '--etcd=TESSERA_ETCD', '--scheduler-listen', '--gateway-listen', '--scheduler-metrics-listen', '--gateway-metrics-listen', '--lease-ttl',
      '--heartbeat-interval', '--exit-after-demo', '--no-demo-job', '--insecure', ...LOG,
    ]],
    ['hardware', hardwareCommand, ['--json', '--nvidia-smi=TESSERA_NVIDIA_SMI']],
  ];

  it.each(FLAGS)('tessera %s keeps every flag and environment variable it had', (_name, make, expected) => {
    const flags = make().options.map((o) => (o.envVar ? `${o.long}=${o.envVar}` : o.long));
    expect([...flags].sort()).toEqual([...expected].sort());
  });

  it.each(FLAGS)('tessera %s --help shows each default at most once', (_name, make) => {
    const command = make();
    expect(command.helpInformation()).toContain('Options:');
    const help = new Help();
    for (const option of command.options) expect(help.optionDescription(option).split('default:').length, option.long).toBeLessThanOrEqual(2);
  });
});
