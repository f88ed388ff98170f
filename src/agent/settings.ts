/**
 * settings: every setting of `tessera agent`, defined once (see common/settings.ts).
 */
import { existsSync } from 'node:fs';
import { hostname, homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { labelMap } from '../common/config.js';
import { address, bytes, custom, duration, integer, setting, text, toggle } from '../common/settings.js';
import { labelsSchema, regionSchema, workerNameSchema } from '../common/worker.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** AGENT_SETTINGS: the agent's table, in the order help and the README list it. */
export const AGENT_SETTINGS = {
  // The agent dials out, so the worker may sit behind NAT.
  scheduler: setting(address({ dial: true }), { flag: '--scheduler', env: 'TESSERA_SCHEDULER', required: true, help: "the scheduler's `AgentService` address" }),
  joinToken: setting(text(z.string().max(512)), { flag: '--join-token', placeholder: '<token>', env: 'TESSERA_JOIN_TOKEN', help: 'one-time join token; needed until the agent has an identity' }),
  // Read before the config is parsed (cli/options.ts), so the token is in neither argv (ps) nor the environment.
  joinTokenFile: setting(text(), {
    flag: '--join-token-file',
    placeholder: '<path>',
    env: 'TESSERA_JOIN_TOKEN_FILE',
    help: "the join token, read from this file's first line instead of `--join-token`; a missing file is no token",
  }),
  stateDir: setting(text(), {
    flag: '--state-dir',
    placeholder: '<dir>',
    env: 'TESSERA_AGENT_STATE_DIR',
    default: () => join(homedir(), '.tessera', 'agent'),
    shown: '`~/.tessera/agent`',
    help: 'where the worker identity is kept (`identity.json`, mode 0600)',
  }),
  name: setting(text(workerNameSchema), { flag: '--name', placeholder: '<name>', env: 'TESSERA_WORKER_NAME', default: () => hostname(), shown: 'the host name', help: 'worker name' }),
  region: setting(text(regionSchema), { flag: '--region', placeholder: '<region>', env: 'TESSERA_REGION', default: 'local', help: 'region this worker is in: lowercase letters, digits, dashes' }),
  labels: setting(custom(labelMap.pipe(labelsSchema), '<k=v,...>'), { flag: '--labels', env: 'TESSERA_LABELS', default: {}, shown: 'none', help: 'labels for placement, `k=v,k2=v2`' }),
  // On loopback: it is for the worker's owner.
  metricsListen: setting(address(), { flag: '--metrics-listen', env: 'TESSERA_AGENT_METRICS_LISTEN', default: '127.0.0.1:9472', help: 'agent `/metrics` address' }),
  backoffInitialMs: setting(duration(), { flag: '--backoff-initial', default: '500ms', help: 'first reconnect delay; it doubles up to `--backoff-max`, with full jitter' }),
  backoffMaxMs: setting(duration(), { flag: '--backoff-max', default: '15s', help: 'longest reconnect delay' }),
  // A silent network: the Connect stream is never welcomed.
  connectTimeoutMs: setting(duration(), { flag: '--connect-timeout', default: '10s', help: 'a connection not accepted within this is abandoned and retried' }),
  nvidiaSmi: setting(text(), { flag: '--nvidia-smi', placeholder: '<path>', env: 'TESSERA_NVIDIA_SMI', default: 'nvidia-smi', help: 'the `nvidia-smi` to run (a path, or looked up on `PATH`)' }),
  maxShardOutputBytes: setting(bytes({ min: KiB, max: GiB }), {
    flag: '--max-shard-output-bytes',
    default: MiB,
    help: "output sent per shard attempt (the smaller of this and the scheduler's `--max-attempt-output-bytes`); the stream marks where it was cut",
  }),
  killGraceMs: setting(duration(), { flag: '--kill-grace', default: '10s', help: 'SIGTERM → SIGKILL grace for cancelled and timed-out shards' }),
  advertiseAddress: setting(text(z.string().min(1).max(255)), {
    flag: '--advertise-address',
    placeholder: '<addr>',
    env: 'TESSERA_ADVERTISE_ADDRESS',
    default: () => defaultAdvertiseAddress(),
    shown: 'the first non-loopback IPv4 address',
    help: 'how other gang ranks reach this worker',
  }),
  // Debian's python3-torch lives under /usr/bin/python3.
  python: setting(text(), {
    flag: '--python',
    placeholder: '<path>',
    env: 'TESSERA_PYTHON',
    default: () => (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    shown: '`/usr/bin/python3` if present, else `python3`',
    help: 'Python with PyTorch for GPU compute challenges',
  }),
  insecure: setting(toggle(), { flag: '--insecure', default: false, help: 'talk plaintext to a scheduler started with `--insecure` (by default TLS, trusting only the CA the join token pins)' }),
  shardRoot: setting(text(), {
    flag: '--shard-root',
    placeholder: '<dir>',
    env: 'TESSERA_SHARD_ROOT',
    shown: 'one per agent: `/var/lib/tessera/shards/<id>` as root, else in the temp directory',
    help: 'where shard directories go, outside `--state-dir`',
  }),
  insecureNoSandbox: setting(toggle(), {
    flag: '--insecure-no-sandbox',
    default: false,
    help: "run tenants' shards without a sandbox when this agent cannot make one (not root, no bubblewrap); only jobs with `allowUnsandboxed` are placed here. Without it such an agent refuses to start",
  }),
  sandboxUidBase: setting(integer({ min: 1000, max: 2 ** 31 - 2000 }), {
    flag: '--sandbox-uid-base',
    placeholder: '<uid>',
    shown: "one of 1,000 pools from 200000, by the shard root's hash",
    help: 'first of the 1,000 uids shards run as (one per running attempt)',
  }),
  shardMaxPids: setting(integer({ min: 16, max: 1_000_000 }), { flag: '--shard-max-pids', default: 4096, help: 'processes and threads per shard (a fork bomb stops here)' }),
  bwrap: setting(text(), { flag: '--bwrap', placeholder: '<path>', default: 'bwrap', help: 'the bubblewrap to run (a path, or looked up on `PATH`)' }),
};

/** defaultAdvertiseAddress picks the first non-internal IPv4 address, else loopback. */
function defaultAdvertiseAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}
