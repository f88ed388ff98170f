/**
 * sandbox: how a tenant's shard runs on a stranger's machine. Each attempt gets
 *
 * - a user of its own from a pool of unprivileged uids (never root, never the agent's user), so
 *   shards of different tenants cannot read each other's files, /proc/<pid>/environ, or signal
 *   each other;
 * - bubblewrap's mount, pid, ipc and uts namespaces: the host's file system read-only, a private
 *   /tmp and /dev/shm, the agent's state directory and the other shards' directories replaced by
 *   empty ones, only the attempt's own directory writable, a /dev with only its GPUs' nodes;
 * - a cgroup with the memory, CPU and process-count limits placement reserved.
 *
 * The network namespace is shared: gang ranks reach each other (and MASTER_ADDR) over it.
 * The agent must be root to hand out uids and make cgroups; bubblewrap then runs as the shard's
 * uid in a user namespace of its own, so no step runs the tenant's code with privileges.
 */
import { execFile } from 'node:child_process';
import { access, lstat, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectCgroups, layoutText, type CgroupLayout } from './cgroups.js';
import { findProgram } from '../../common/programs.js';

const run = promisify(execFile);

/** SandboxSupport is what the agent found it can do, and says in its isolation claim. */
export type SandboxSupport =
  | { sandboxed: true; detail: string; bwrap: string; setpriv: string; cgroups: CgroupLayout }
  | { sandboxed: false; detail: string };

/**
 * detectSandbox checks each part (root, bubblewrap, setpriv, cgroups) and runs one empty sandbox
 * as the first pool uid, so a kernel without user namespaces is found now, not at a tenant's shard.
 */
export async function detectSandbox(options: { agentName: string; bwrap: string; uidBase: number; shardRoot: string }): Promise<SandboxSupport> {
  if (process.platform !== 'linux') return { sandboxed: false, detail: `no sandbox on ${process.platform}` };
  if (process.getuid?.() !== 0) return { sandboxed: false, detail: 'not root: the agent cannot give shards users and cgroups of their own' };
  const bwrap = findProgram(options.bwrap);
  if (!bwrap) return { sandboxed: false, detail: `no bubblewrap (${options.bwrap}; Debian package bubblewrap)` };
  const setpriv = findProgram('setpriv');
  if (!setpriv) return { sandboxed: false, detail: 'no setpriv (Debian package util-linux)' };
  const problem = (await traversable(options.shardRoot)) ?? (await ownedByRoot(options.shardRoot));
  if (problem) return { sandboxed: false, detail: problem };
  const cgroups = await detectCgroups(options.agentName);
  if ('error' in cgroups) return { sandboxed: false, detail: cgroups.error };
  try {
    await run(setpriv, [...dropTo(options.uidBase), bwrap, '--unshare-all', '--share-net', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--', 'true'], { timeout: 10_000 });
  } catch (err) {
    return { sandboxed: false, detail: `bubblewrap cannot start a sandbox here: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim().slice(0, 200)}` };
  }
  return { sandboxed: true, detail: `bubblewrap, ${layoutText(cgroups).replace(/ \(.*\)$/, '')}, one uid per shard from ${options.uidBase}`, bwrap, setpriv, cgroups };
}

/** traversable checks that shard uids can reach their directories below the shard root. */
async function traversable(shardRoot: string): Promise<string | undefined> {
  let dir = shardRoot;
  for (;;) {
    const parent = join(dir, '..');
    if (parent === dir) return undefined;
    dir = parent;
    try {
      const info = await stat(dir);
      if ((info.mode & 0o001) === 0) return `shard root ${shardRoot} is below ${dir}, which other users cannot enter (mode ${(info.mode & 0o777).toString(8)}); choose another --shard-root`;
    } catch {
      // Created later with the right mode.
    }
  }
}

/**
 * ownedByRoot makes the shard root (mode 0711) and checks no one else could swap what is in it:
 * a real directory, owned by root, writable by root only. The agent writes tenants' files there
 * as root, so a shard root another user controls would let that user redirect the writes.
 */
async function ownedByRoot(shardRoot: string): Promise<string | undefined> {
  try {
    await mkdir(shardRoot, { recursive: true, mode: 0o711 });
    const info = await lstat(shardRoot);
    if (!info.isDirectory()) return `shard root ${shardRoot} is not a directory (a link?)`;
    if (info.uid !== 0) return `shard root ${shardRoot} is owned by uid ${info.uid}, not root`;
    if ((info.mode & 0o022) !== 0) return `shard root ${shardRoot} is writable by group or others (mode ${(info.mode & 0o777).toString(8)})`;
    return undefined;
  } catch (err) {
    return `cannot make shard root ${shardRoot}: ${(err as Error).message}`;
  }
}

/** dropTo is setpriv's arguments to become a pool uid with no capabilities and no way back. */
export function dropTo(uid: number): string[] {
  return [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
}

/** UidPool hands each running attempt a uid no other attempt holds. */
export class UidPool {
  private readonly free: number[];

  constructor(base: number, size: number) {
    this.free = Array.from({ length: size }, (_, i) => base + i);
  }

  take(): number {
    const uid = this.free.shift();
    if (uid === undefined) throw new Error('every sandbox uid is in use: too many shards at once on this worker');
    return uid;
  }

  give(uid: number): void {
    if (!this.free.includes(uid)) this.free.push(uid);
  }
}

/** SandboxLaunch is one attempt's sandbox, as the runner spawns it. */
export interface SandboxLaunch {
  bwrap: string;
  setpriv: string;
  uid: number;
  /** The attempt's directory (bound read-write at the same path). */
  shardDir: string;
  /** Directories replaced by empty ones inside (the agent's state, the other shards). */
  hidden: string[];
  /** Device nodes the attempt may open (its GPUs and the driver's control nodes). */
  devices: string[];
  cwd: string;
  command: string;
  args: string[];
  /** The shard's whole environment: set inside the sandbox only, never on the root launcher. */
  env: Record<string, string>;
  /** cgroup.procs files the launcher joins before dropping privileges. */
  cgroupProcs: string[];
}

/** LAUNCHER_ENV is the root launcher's whole environment: nothing a tenant chose (LD_PRELOAD…). */
export const LAUNCHER_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

/** ENV_FD is the descriptor bubblewrap reads the shard's environment from (--args), kept out of argv. */
export const ENV_FD = 3;

/**
 * launchArgv is the command line: a root shell joins the cgroups (so every later process is
 * inside before the tenant's code runs), then setpriv drops to the pool uid and bubblewrap builds
 * the namespaces as that uid. The launcher runs with LAUNCHER_ENV only: the tenant's variables
 * reach bubblewrap as NUL-separated `--clearenv --setenv K V …` on ENV_FD (`envArgs`), so no
 * root process ever sees them (LD_PRELOAD would otherwise load a tenant's library as root) and
 * they stay out of /proc/<pid>/cmdline.
 */
export function launchArgv(launch: SandboxLaunch): { file: string; args: string[]; envArgs: Buffer } {
  const join = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';
  const bwrapArgs = [
    '--args',
    String(ENV_FD),
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'tessera-shard',
    '--new-session',
    '--ro-bind',
    '/',
    '/',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/dev/shm',
    '--tmpfs',
    '/tmp',
    ...launch.hidden.flatMap((dir) => ['--tmpfs', dir]),
    ...launch.devices.flatMap((node) => ['--dev-bind', node, node]),
    '--bind',
    launch.shardDir,
    launch.shardDir,
    '--chdir',
    launch.cwd,
    '--',
    launch.command,
    ...launch.args,
  ];
  const envArgs = Buffer.from(['--clearenv', ...Object.entries(launch.env).flatMap(([k, v]) => ['--setenv', k, v])].map((a) => `${a}\0`).join(''));
  return { file: '/bin/sh', args: ['-c', join, 'tessera-sandbox', String(launch.cgroupProcs.length), ...launch.cgroupProcs, launch.setpriv, ...dropTo(launch.uid), launch.bwrap, ...bwrapArgs], envArgs };
}

/** gpuDeviceNodes lists the device nodes of the given NVIDIA GPUs (by index) that exist here. */
export async function gpuDeviceNodes(gpuIndices: number[]): Promise<string[]> {
  const wanted = gpuIndices.length ? ['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools', '/dev/nvidia-modeset', ...gpuIndices.map((i) => `/dev/nvidia${i}`)] : [];
  const present: string[] = [];
  for (const node of wanted) {
    try {
      await access(node);
      present.push(node);
    } catch {
      // Not on this machine.
    }
  }
  return present;
}
