/**
 * etcd-server: starts a private etcd (Debian's `etcd-server` package) on free loopback ports,
 * for `tessera dev` and for the test harness. Production runs its own etcd cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { freePort } from '../common/net.js';
import { findProgram } from '../common/programs.js';

/** EtcdServer is a running private etcd. */
export interface EtcdServer {
  endpoint: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** findEtcdBinary looks for `etcd` on PATH and in /usr/bin; undefined when absent. */
export function findEtcdBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findProgram('etcd', { env, extraDirs: ['/usr/bin', '/usr/local/bin'] });
}

/** START_TIMEOUT_MS: etcd answers within a second on a laptop; CI's 2 cores get headroom. */
const START_TIMEOUT_MS = 20_000;

/**
 * ETCD_LIMIT_FLAGS: what keeps a private etcd bounded and correct over time — the same settings
 * docs/store.md ("Operating etcd") asks of a production cluster. Checked against Debian's etcd
 * 3.4 (`etcd --help`); 3.5 and 3.6 accept the same flags.
 *
 *   - auto-compaction, periodic 1h: etcd keeps every revision until compacted, and each output
 *     chunk and state change is one; an hour of history is far more than any watch here lags;
 *   - a backend quota (1 GiB for a dev fleet; etcd's default is 2 GiB): past it etcd raises a
 *     NOSPACE alarm and refuses writes, instead of filling the disk;
 *   - lease checkpointing: without it a leader change resets every lease's remaining TTL to its
 *     full TTL, so a 14-day job-retention lease could outlive its job indefinitely. (etcd 3.5.3+
 *     also has --experimental-enable-lease-checkpoint-persist; 3.4 refuses it, so a private etcd,
 *     a single member with no leader changes, goes without.)
 */
export function etcdLimitFlags(options: { quotaBackendBytes?: number; compactionRetention?: string } = {}): string[] {
  return [
    '--auto-compaction-mode', 'periodic',
    '--auto-compaction-retention', options.compactionRetention ?? '1h',
    '--quota-backend-bytes', String(options.quotaBackendBytes ?? DEV_QUOTA_BACKEND_BYTES),
    '--experimental-enable-lease-checkpoint=true',
  ];
}

/** DEV_QUOTA_BACKEND_BYTES: 1 GiB holds 16 jobs at the 64 MiB per-job output cap, and more than any dev fleet writes. */
export const DEV_QUOTA_BACKEND_BYTES = 1024 * 1024 * 1024;

/** startEtcdServer runs etcd in a fresh data directory and waits until it answers. */
export async function startEtcdServer(options: { binary?: string; dataDir?: string; quotaBackendBytes?: number; compactionRetention?: string; extraArgs?: string[] } = {}): Promise<EtcdServer> {
  const binary = options.binary ?? findEtcdBinary();
  if (!binary) throw new Error('etcd is not installed: `apt-get install -y etcd-server` (Debian) or pass --etcd URL');
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tessera-etcd-')));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    binary,
    [
      '--name', 'tessera-dev',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `tessera-dev=${peer}`,
      ...etcdLimitFlags(options),
      '--log-level', 'error',
      '--logger', 'zap',
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const client = new Etcd3({ hosts: endpoint, dialTimeout: 1_000 });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode}: ${stderr.trim()}`);
      try {
        await client.maintenance.status({ deadline: Date.now() + 1_000 });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`etcd did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.close();
  }
  return { endpoint, dataDir, process: child, stop };
}
