/**
 * cgroups: one control group per shard attempt, with the limits placement reserved (memory,
 * CPU quota, process count), on cgroup v1 where its memory, cpu and pids hierarchies are mounted,
 * else on cgroup v2. The agent creates its groups under its own (read from /proc/self/cgroup), so
 * it works inside a container or a systemd unit with delegation.
 *
 * What it answers afterwards comes from the kernel: whether the OOM killer struck, the peak
 * memory, and every process still in the group (a shard cannot leave it: it has no write access).
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from '../../common/backoff.js';

/** CONTROLLERS: what a shard's limits need. */
const CONTROLLERS = ['memory', 'cpu', 'pids'] as const;
type Controller = (typeof CONTROLLERS)[number];

/** CPU_PERIOD_US: the CFS period; a quota of cores × period is the CPU a shard may use per period. */
const CPU_PERIOD_US = 100_000;

/** CgroupLayout says where the agent makes its shards' groups. */
export type CgroupLayout =
  | { version: 'v1'; base: Record<Controller, string> }
  | { version: 'v2'; base: string };

/** ShardCgroupLimits are enforced by the kernel for one attempt. */
export interface ShardCgroupLimits {
  memoryMib: number;
  cpuCores: number;
  maxPids: number;
}

interface MountInfo {
  mountPoint: string;
  root: string;
  fsType: string;
  superOptions: string[];
}

/** parseMountInfo reads /proc/self/mountinfo lines (man 5 proc). */
export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const [fsType, , superOptions] = right.split(' ');
    if (!fields[3] || !fields[4] || !fsType) continue;
    mounts.push({ root: unescape(fields[3]), mountPoint: unescape(fields[4]), fsType, superOptions: (superOptions ?? '').split(',') });
  }
  return mounts;
}

const unescape = (path: string): string => path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** parseProcCgroup reads /proc/self/cgroup: hierarchy → path, by controller name ("" for v2). */
export function parseProcCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const name of match[1]!.split(',')) paths.set(name, match[2]!);
  }
  return paths;
}

/** groupDir joins a mount point with the process's group path, minus the mount's own root. */
function groupDir(mount: MountInfo, path: string): string {
  const relative = mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return join(mount.mountPoint, relative);
}

/**
 * detectCgroups finds where shard groups can go and checks that the agent may create them.
 * Returns a reason instead when it cannot.
 */
export async function detectCgroups(agentName: string): Promise<CgroupLayout | { error: string }> {
  let mounts: MountInfo[];
  let own: Map<string, string>;
  try {
    mounts = parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
    own = parseProcCgroup(await readFile('/proc/self/cgroup', 'utf8'));
  } catch (err) {
    return { error: `cannot read cgroups: ${(err as Error).message}` };
  }
  const leaf = `tessera-${agentName.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const v1 = CONTROLLERS.map((c) => mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(c)));
  if (v1.every((m) => m !== undefined)) {
    const base = Object.fromEntries(CONTROLLERS.map((c, i) => [c, join(groupDir(v1[i]!, own.get(c) ?? '/'), leaf)])) as Record<Controller, string>;
    try {
      for (const dir of Object.values(base)) await mkdir(dir, { recursive: true });
    } catch (err) {
      return { error: `cannot create cgroup v1 groups (${(err as Error).message})` };
    }
    return { version: 'v1', base };
  }
  const v2 = mounts.find((m) => m.fsType === 'cgroup2');
  if (!v2) return { error: 'no cgroup v1 memory, cpu and pids hierarchies and no cgroup v2 mount' };
  // cgroup v2 lets only leaves hold processes: the agent moves itself into a leaf of its own
  // group, then enables the controllers for its shards' groups beside it (systemd: Delegate=yes).
  const ownDir = groupDir(v2, own.get('') ?? '/');
  try {
    const available = (await readFile(join(ownDir, 'cgroup.controllers'), 'utf8')).trim().split(/\s+/);
    const missing = CONTROLLERS.filter((c) => !available.includes(c));
    if (missing.length) return { error: `cgroup v2 controllers not delegated to ${ownDir}: ${missing.join(', ')}` };
    const agentLeaf = join(ownDir, 'agent');
    await mkdir(agentLeaf, { recursive: true });
    await writeFile(join(agentLeaf, 'cgroup.procs'), String(process.pid));
    await writeFile(join(ownDir, 'cgroup.subtree_control'), CONTROLLERS.map((c) => `+${c}`).join(' '));
    const base = join(ownDir, leaf);
    await mkdir(base, { recursive: true });
    await writeFile(join(base, 'cgroup.subtree_control'), CONTROLLERS.map((c) => `+${c}`).join(' '));
    return { version: 'v2', base };
  } catch (err) {
    return { error: `cannot set up cgroup v2 under ${ownDir} (${(err as Error).message})` };
  }
}

/** layoutText names the layout for logs and the worker's isolation detail. */
export function layoutText(layout: CgroupLayout): string {
  return layout.version === 'v1' ? `cgroup v1 (${layout.base.memory})` : `cgroup v2 (${layout.base})`;
}

/** ShardCgroup is one attempt's group (one directory per v1 hierarchy, or one v2 directory). */
export class ShardCgroup {
  private constructor(
    private readonly layout: CgroupLayout,
    private readonly dirs: Record<Controller, string>,
  ) {}

  /** create makes the group and writes its limits before any process joins it. */
  static async create(layout: CgroupLayout, name: string, limits: ShardCgroupLimits): Promise<ShardCgroup> {
    const dirs =
      layout.version === 'v1'
        ? (Object.fromEntries(CONTROLLERS.map((c) => [c, join(layout.base[c], name)])) as Record<Controller, string>)
        : { memory: join(layout.base, name), cpu: join(layout.base, name), pids: join(layout.base, name) };
    const group = new ShardCgroup(layout, dirs);
    for (const dir of new Set(Object.values(dirs))) await mkdir(dir, { recursive: true });
    const memoryBytes = String(Math.max(1, limits.memoryMib) * 1024 * 1024);
    const quotaUs = Math.max(1000, Math.round(limits.cpuCores * CPU_PERIOD_US));
    if (layout.version === 'v1') {
      await writeFile(join(dirs.memory, 'memory.limit_in_bytes'), memoryBytes);
      // No swap beyond the limit, where the kernel accounts swap.
      await writeFile(join(dirs.memory, 'memory.memsw.limit_in_bytes'), memoryBytes).catch(() => undefined);
      await writeFile(join(dirs.cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      await writeFile(join(dirs.cpu, 'cpu.cfs_quota_us'), String(quotaUs));
      await writeFile(join(dirs.pids, 'pids.max'), String(limits.maxPids));
    } else {
      await writeFile(join(dirs.memory, 'memory.max'), memoryBytes);
      await writeFile(join(dirs.memory, 'memory.swap.max'), '0').catch(() => undefined);
      await writeFile(join(dirs.cpu, 'cpu.max'), `${quotaUs} ${CPU_PERIOD_US}`);
      await writeFile(join(dirs.pids, 'pids.max'), String(limits.maxPids));
    }
    return group;
  }

  /** procsFiles are the files a process writes its pid into to join the group (all hierarchies). */
  procsFiles(): string[] {
    return [...new Set(Object.values(this.dirs))].map((dir) => join(dir, 'cgroup.procs'));
  }

  /** pids lists every process in the group, as host pids. */
  async pids(): Promise<number[]> {
    try {
      const text = await readFile(join(this.dirs.pids, 'cgroup.procs'), 'utf8');
      return text.split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** signal sends a signal to every process of the group but those listed. */
  async signal(signal: NodeJS.Signals, except: ReadonlySet<number> = new Set()): Promise<number> {
    let sent = 0;
    for (const pid of await this.pids()) {
      if (except.has(pid)) continue;
      try {
        process.kill(pid, signal);
        sent++;
      } catch {
        // Gone already.
      }
    }
    return sent;
  }

  /** oomKills counts the processes the kernel's OOM killer took in this group. */
  async oomKills(): Promise<number> {
    const file = this.layout.version === 'v1' ? 'memory.oom_control' : 'memory.events';
    try {
      const match = /^oom_kill (\d+)$/m.exec(await readFile(join(this.dirs.memory, file), 'utf8'));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** peakMemoryKib is the group's highest memory use (page cache included), as the kernel counted it. */
  async peakMemoryKib(): Promise<number> {
    const file = this.layout.version === 'v1' ? 'memory.max_usage_in_bytes' : 'memory.peak';
    try {
      return Math.round(Number((await readFile(join(this.dirs.memory, file), 'utf8')).trim()) / 1024) || 0;
    } catch {
      return 0;
    }
  }

  /** destroy kills whatever is left and removes the group (retrying while the kernel reaps); false when processes outlived it. */
  async destroy(): Promise<boolean> {
    for (let attempt = 0; attempt < 50; attempt++) {
      await this.signal('SIGKILL');
      let busy = false;
      for (const dir of new Set(Object.values(this.dirs))) {
        try {
          await rmdir(dir);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') busy = true;
        }
      }
      if (!busy) return true;
      await sleep(20 + attempt * 10);
    }
    return false;
  }
}
