/**
 * runner: runs shard attempts as real child processes, each in its own directory under the
 * shard root, streams their output in chunks (capped), reads the structured result from
 * TESSERA_RESULT_PATH, and reports exit code, wall time and peak memory. Cancel and timeout send
 * SIGTERM, then SIGKILL after a grace period.
 *
 * Sandboxed (the default where the agent can): each attempt runs as a uid of its own inside
 * bubblewrap and a cgroup with its limits (sandbox.ts); signals and cleanup go through the cgroup,
 * which a shard cannot leave. Unsandboxed (--insecure-no-sandbox): a process group as the agent's
 * own user, no limits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chown, lstat, mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { ShardCgroup } from './sandbox/cgroups.js';
import { ENV_FD, gpuDeviceNodes, LAUNCHER_ENV, launchArgv, UidPool, type SandboxSupport } from './sandbox/sandbox.js';
import type { Writable } from 'node:stream';
import { MAX_RESULT_BYTES, type Assignment, type AttemptEnd, type ShardRef, type ShardReport } from '../common/attempt.js';
import type { Logger } from '../common/logger.js';
import { groupRssKib, peakRssKib, signalGroup } from './process-group.js';

/** RunnerOptions: where shard directories go, how they are isolated, and the limits the worker's owner set. */
export interface RunnerOptions {
  /** Shard directories go below it (mode 0711; each attempt's own directory 0700). */
  shardRoot: string;
  maxOutputBytes: number;
  killGraceMs: number;
  /** What the agent found it can do; shards run unsandboxed only when insecure is set. */
  sandbox: SandboxSupport;
  /** --insecure-no-sandbox: run shards without a sandbox when the agent cannot make one. */
  insecure: boolean;
  /** First uid of the pool shards run as, and how many. */
  uidBase: number;
  uidCount: number;
  /** Process limit per attempt (threads count). */
  maxPids: number;
  /** Memory limit of an attempt that asked for none, MiB. */
  defaultMemoryMib: number;
  /** Directories no shard may see (the agent's state). */
  hidden: string[];
}

/** FLUSH_MS / FLUSH_BYTES: output goes up at least every 200 ms or 16 KiB, whichever first. */
const FLUSH_MS = 200;
const FLUSH_BYTES = 16 * 1024;
/** RSS_SAMPLE_MS: how often the group's memory is sampled for its peak. */
const RSS_SAMPLE_MS = 250;
/** SHARED_HIDDEN: what no shard sees: every agent's default shard root and the host's cgroup tree (other tenants' processes and memory). */
const SHARED_HIDDEN = ['/var/lib/tessera', '/sys/fs/cgroup'];
/** Variables of the agent's own environment a shard inherits; nothing else (no join token, no secrets). */
const INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];

interface Running {
  ref: ShardRef;
  child: ChildProcess;
  dir: string;
  startedAt: number;
  /** Sandboxed attempts: their cgroup, uid and memory limit. */
  cgroup?: ShardCgroup;
  uid?: number;
  memoryLimitMib?: number;
  stopReason?: 'cancelled' | 'timed-out' | 'agent-stopping';
  stopDetail?: string;
  killTimer?: NodeJS.Timeout;
}

const keyOf = (r: { jobId: string; index: number }): string => `${r.jobId}/${r.index}`;

/** ShardRunner owns every shard process of one agent. */
export class ShardRunner {
  private readonly running = new Map<string, Running>();
  private readonly highestAttempt = new Map<string, number>();
  /** Finished reports not yet acknowledged by the scheduler; resent after a reconnect. */
  private readonly outbox = new Map<string, ShardReport>();
  private readonly uids: UidPool;

  constructor(
    private readonly options: RunnerOptions,
    private readonly send: (report: ShardReport) => void,
    private readonly logger: Logger,
  ) {
    this.uids = new UidPool(options.uidBase, options.uidCount);
  }

  /** sandboxed: whether this runner isolates shards (what the worker claims in its isolation). */
  get sandboxed(): boolean {
    return this.options.sandbox.sandboxed;
  }

  /** held lists the attempts this agent runs, or finished without the scheduler acknowledging the report yet. */
  held(): ShardRef[] {
    return [...[...this.running.values()].map((r) => r.ref), ...[...this.outbox.values()].map((r) => r.ref)];
  }

  /** unacknowledged returns finished reports to resend after a reconnect. */
  unacknowledged(): ShardReport[] {
    return [...this.outbox.values()];
  }

  acknowledge(ref: ShardRef): void {
    this.outbox.delete(`${keyOf(ref)}/${ref.attempt}`);
  }

  assign(assignment: Assignment): void {
    const ref = assignment.ref;
    const key = keyOf(ref);
    const seen = this.highestAttempt.get(key) ?? 0;
    const current = this.running.get(key);
    if (ref.attempt < seen || (ref.attempt === seen && current?.ref.attempt === ref.attempt)) {
      if (ref.attempt < seen) this.send({ kind: 'rejected', ref, reason: `stale attempt ${ref.attempt}: attempt ${seen} was already assigned here` });
      return;
    }
    this.highestAttempt.set(key, ref.attempt);
    if (current) this.stop(current, 'cancelled', `superseded by attempt ${ref.attempt}`);
    void this.start(assignment).catch((err: unknown) => {
      this.logger.error({ err, ...ref }, 'could not start shard');
      this.finish(ref, { exitCode: -1, error: `could not start: ${(err as Error).message}` });
    });
  }

  cancel(ref: ShardRef, reason: string): void {
    const current = this.running.get(keyOf(ref));
    if (current && current.ref.attempt === ref.attempt) {
      this.stop(current, 'cancelled', reason);
      return;
    }
    // Nothing runs for that attempt: say so, so the scheduler can settle the shard.
    this.highestAttempt.set(keyOf(ref), Math.max(ref.attempt, this.highestAttempt.get(keyOf(ref)) ?? 0));
    this.finish(ref, { exitCode: -1, cancelled: true, error: `cancelled (${reason}) before it ran here` });
  }

  /** stopAll cancels every shard (agent shutdown) and waits for the processes to go. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    // Not a cancel: the job still wants these shards, so the scheduler runs them again elsewhere.
    for (const r of all) this.stop(r, 'agent-stopping', 'the agent stopped');
    await Promise.all(all.map((r) => new Promise<void>((done) => (r.child.exitCode !== null || r.child.signalCode !== null ? done() : r.child.once('close', () => done())))));
  }

  private async start(assignment: Assignment): Promise<void> {
    const { ref, entrypoint, limits } = assignment;
    const sandbox = this.options.sandbox;
    if (!sandbox.sandboxed && !this.options.insecure) {
      throw new Error(`this worker cannot sandbox shards (${sandbox.detail}) and was not started with --insecure-no-sandbox`);
    }
    await mkdir(this.options.shardRoot, { recursive: true, mode: 0o711 });
    const dir = join(this.options.shardRoot, `${ref.jobId}-${ref.index}-a${ref.attempt}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { mode: 0o700 });
    for (const file of entrypoint.files) {
      const path = inside(dir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.mode });
    }
    const cwd = entrypoint.workingDir ? inside(dir, entrypoint.workingDir) : dir;
    await mkdir(cwd, { recursive: true });
    const resultPath = join(dir, 'tessera-result.json');
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    Object.assign(env, entrypoint.env, assignment.env, { TESSERA_RESULT_PATH: resultPath, TESSERA_SHARD_DIR: dir });

    let child: ChildProcess;
    let run: Running;
    if (sandbox.sandboxed) {
      const memoryLimitMib = limits.memoryMib || this.options.defaultMemoryMib;
      const uid = this.uids.take();
      let cgroup: ShardCgroup | undefined;
      try {
        await chownTree(dir, uid);
        cgroup = await ShardCgroup.create(sandbox.cgroups, `${ref.jobId}-${ref.index}-a${ref.attempt}`, {
          memoryMib: memoryLimitMib,
          cpuCores: limits.cpuCores || 1,
          maxPids: this.options.maxPids,
        });
        Object.assign(env, { HOME: dir, USER: `tessera-${uid}`, TMPDIR: '/tmp' });
        const argv = launchArgv({
          bwrap: sandbox.bwrap,
          setpriv: sandbox.setpriv,
          uid,
          shardDir: dir,
          // The agent's state, every agent's shards, and the host's cgroup tree (other tenants' activity).
          hidden: [...SHARED_HIDDEN, ...this.options.hidden, this.options.shardRoot],
          devices: await gpuDeviceNodes(limits.gpuIndices),
          cwd,
          command: entrypoint.command,
          args: entrypoint.args,
          env,
          cgroupProcs: cgroup.procsFiles(),
        });
        child = spawn(argv.file, argv.args, { cwd: '/', env: LAUNCHER_ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
        const envPipe = child.stdio[ENV_FD] as Writable;
        envPipe.on('error', () => undefined);
        envPipe.end(argv.envArgs);
      } catch (err) {
        this.uids.give(uid);
        await cgroup?.destroy();
        throw err;
      }
      run = { ref, child, dir, startedAt: Date.now(), cgroup, uid, memoryLimitMib };
    } else {
      child = spawn(entrypoint.command, entrypoint.args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      run = { ref, child, dir, startedAt: Date.now() };
    }
    this.running.set(keyOf(ref), run);
    let spawnError: Error | undefined;
    child.once('error', (err) => (spawnError = err));
    if (child.pid !== undefined) this.send({ kind: 'started', ref, pid: child.pid, startedAtMs: run.startedAt });

    // The scheduler's cap for this attempt, when it sent one, and never more than the owner's own:
    // the scheduler cuts off an agent that sends well past the cap it was told.
    const told = assignment.maxOutputBytes;
    const output = new OutputPump(ref, told > 0 ? Math.min(told, this.options.maxOutputBytes) : this.options.maxOutputBytes, this.send);
    child.stdout!.on('data', (chunk: Buffer) => output.add('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => output.add('stderr', chunk));
    let peakRss = 0;
    let samplerTimer: NodeJS.Timeout | undefined;
    // Sample early and often at first (short shards), then every RSS_SAMPLE_MS. A sandboxed
    // attempt's peak comes from its cgroup at the end instead.
    const sample = (step: number): void => {
      const pid = child.pid;
      if (pid) {
        // The leader's own peak every time; the whole group (children included) on every 8th sample, as it scans /proc.
        void peakRssKib(pid).then((kib) => (peakRss = Math.max(peakRss, kib)));
        if (step % 8 === 7) void groupRssKib(pid).then((kib) => (peakRss = Math.max(peakRss, kib)));
      }
      samplerTimer = setTimeout(() => sample(step + 1), Math.min(RSS_SAMPLE_MS, 10 * 2 ** step));
    };
    if (!run.cgroup) sample(0);
    const timeout = setTimeout(() => this.stop(run, 'timed-out', `timed out after ${assignment.timeoutSeconds} s`), assignment.timeoutSeconds * 1000);

    // When the leader exits, whatever it left behind goes too: a child holding the output pipes
    // open would otherwise keep the attempt "running" (and its resources held) for as long as it likes.
    child.once('exit', () => {
      if (run.cgroup) void run.cgroup.signal('SIGKILL');
      else if (child.pid) signalGroup(child.pid, 'SIGKILL');
    });
    child.once('close', (code, signal) => {
      clearTimeout(samplerTimer);
      clearTimeout(timeout);
      clearTimeout(run.killTimer);
      output.flushAll();
      if (this.running.get(keyOf(ref)) === run) this.running.delete(keyOf(ref));
      void (async () => {
        let oomKills = 0;
        if (run.cgroup) {
          // Whatever the attempt left behind goes with it; then the kernel's account of it.
          oomKills = await run.cgroup.oomKills();
          peakRss = await run.cgroup.peakMemoryKib();
          await run.cgroup.signal('SIGKILL');
        } else if (child.pid) signalGroup(child.pid, 'SIGKILL');
        await this.report(run, code, signal, spawnError, peakRss, output, oomKills);
      })()
        .catch((err: unknown) => this.logger.error({ err, ...ref }, 'could not report a finished shard'))
        .finally(async () => {
          await rm(dir, { recursive: true, force: true }).catch(() => undefined);
          const gone = (await run.cgroup?.destroy()) ?? true;
          // A uid whose processes outlived the attempt is never handed to another tenant.
          if (run.uid !== undefined && gone) this.uids.give(run.uid);
          else if (run.uid !== undefined) this.logger.error({ ...ref, uid: run.uid }, 'processes of a finished shard would not die; its sandbox uid stays out of use');
        });
    });
  }

  private async report(run: Running, code: number | null, signal: NodeJS.Signals | null, spawnError: Error | undefined, peakRss: number, output: OutputPump, oomKills: number): Promise<void> {
    let resultJson = '';
    let error = run.stopDetail ?? '';
    const oomKilled = oomKills > 0 && !run.stopReason;
    if (oomKilled) error = `killed by the OOM killer: the shard went over its memory limit of ${run.memoryLimitMib} MiB`;
    const result = await readResult(join(run.dir, 'tessera-result.json'));
    if ('error' in result) error ||= result.error;
    else resultJson = result.text;
    if (spawnError) error = `could not run ${JSON.stringify(spawnError.message)}`;
    // Inside the sandbox, bubblewrap reports a killed shard as exit 128+n; say which signal.
    const sandboxSignal = run.cgroup && code !== null && code > 128 && code < 160 ? signalName(code - 128) : undefined;
    this.finish(run.ref, {
      exitCode: spawnError ? 127 : (code ?? -1),
      ...((signal ?? sandboxSignal) && { signal: signal ?? sandboxSignal }),
      ...(oomKilled && { oomKilled: true }),
      wallMs: Date.now() - run.startedAt,
      peakRssKib: peakRss,
      resultJson,
      error,
      cancelled: run.stopReason === 'cancelled',
      timedOut: run.stopReason === 'timed-out',
      outputBytes: output.total,
      outputTruncated: output.truncated,
    });
  }

  private finish(ref: ShardRef, end: AttemptEnd): void {
    const report: ShardReport = { kind: 'finished', ref, end };
    this.outbox.set(`${keyOf(ref)}/${ref.attempt}`, report);
    this.logger.info({ jobId: ref.jobId, index: ref.index, attempt: ref.attempt, exitCode: end.exitCode, error: end.error || undefined }, 'shard finished');
    this.send(report);
  }

  private stop(run: Running, reason: NonNullable<Running['stopReason']>, detail: string): void {
    if (run.stopReason) return;
    run.stopReason = reason;
    run.stopDetail = detail;
    const pid = run.child.pid;
    if (pid === undefined) return;
    const cgroup = run.cgroup;
    if (cgroup) {
      // Every process of the attempt but bubblewrap's own, which exits when the shard does.
      this.logger.info({ ...run.ref, reason: detail }, 'stopping shard: SIGTERM to its cgroup');
      void cgroup.signal('SIGTERM', new Set([pid]));
      run.killTimer = setTimeout(() => void cgroup.signal('SIGKILL'), this.options.killGraceMs);
      return;
    }
    this.logger.info({ ...run.ref, reason: detail }, 'stopping shard: SIGTERM to its process group');
    signalGroup(pid, 'SIGTERM');
    run.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.options.killGraceMs);
  }
}

/**
 * readResult reads TESSERA_RESULT_PATH as the agent (root): never through a link the shard made
 * (it could point at the agent's identity), never a FIFO that would block, never over the cap.
 */
async function readResult(path: string): Promise<{ text: string } | { error: string }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { text: '' };
    if (code === 'ELOOP') return { error: 'result file is a symbolic link; expected a regular file' };
    return { error: `cannot read the result file: ${(err as Error).message}` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { error: 'result file is not a regular file' };
    if (info.size > MAX_RESULT_BYTES) return { error: `result file is ${info.size} bytes; the limit is ${MAX_RESULT_BYTES}` };
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    try {
      JSON.parse(text);
    } catch (err) {
      return { error: `result file is not JSON: ${(err as Error).message}` };
    }
    return { text };
  } finally {
    await handle.close();
  }
}

/** chownTree gives an attempt's directory (the tenant's files) to its sandbox uid, not following links. */
async function chownTree(dir: string, uid: number): Promise<void> {
  await chown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid);
    else if ((await lstat(path)).isFile()) await chown(path, uid, uid);
  }
}

/** signalName maps a signal number to its name ("SIGKILL"), or undefined. */
function signalName(number: number): NodeJS.Signals | undefined {
  const entry = Object.entries(osConstants.signals).find(([, n]) => n === number);
  return entry?.[0] as NodeJS.Signals | undefined;
}

/** inside resolves a relative path within a directory, refusing escapes (the scheduler checked too). */
function inside(dir: string, relative: string): string {
  const path = resolve(dir, relative);
  if (path !== dir && !path.startsWith(dir + sep)) throw new Error(`path escapes the shard directory: ${relative}`);
  return path;
}

/** OutputPump batches a shard's output into chunks and stops at the cap, saying so once. */
class OutputPump {
  total = 0;
  truncated = false;
  private readonly buffers: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  private readonly sizes = { stdout: 0, stderr: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ref: ShardRef,
    private readonly cap: number,
    private readonly send: (report: ShardReport) => void,
  ) {}

  add(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.truncated) return;
    const room = this.cap - this.total;
    const kept = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
    this.total += kept.length;
    if (kept.length) {
      this.buffers[stream].push(kept);
      this.sizes[stream] += kept.length;
    }
    if (chunk.length > room) {
      this.truncated = true;
      this.flush(stream, true);
      return;
    }
    if (this.sizes[stream] >= FLUSH_BYTES) this.flush(stream, false);
    else this.timer ??= setTimeout(() => this.flushAll(), FLUSH_MS);
  }

  flushAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush('stdout', false);
    this.flush('stderr', false);
  }

  private flush(stream: 'stdout' | 'stderr', truncated: boolean): void {
    if (this.sizes[stream] === 0 && !truncated) return;
    const data = Buffer.concat(this.buffers[stream]);
    this.buffers[stream] = [];
    this.sizes[stream] = 0;
    this.send({ kind: 'output', ref: this.ref, stream, data, truncated });
  }
}
