/**
 * common: what every benchmark section shares — sizes from the environment, a silent logger,
 * statistics, a fleet written straight into a store, and a JobController built the way the
 * scheduler builds it, with hooks the benchmarks read (pass times, agent assignments).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { createLogger } from '../src/common/logger.js';
import type { WorkerRecord } from '../src/common/worker.js';
import { JobCache } from '../src/scheduler/jobs/cache.js';
import { JobController, type AgentLink, type ControllerMetrics } from '../src/scheduler/jobs/controller.js';
import type { JobStore } from '../src/store/job-store.js';
import type { Kv, KvPut } from '../src/store/kv.js';
import { TenantStore } from '../src/store/tenant-store.js';
import type { TopologyStore } from '../src/store/topology-store.js';

/** silent: the logger every component gets here (benchmarks print a table, not logs). */
export const silent = createLogger('bench', { TESSERA_LOG_LEVEL: 'silent' });

/** envInt reads a size from the environment (BENCH_…); an unset or empty variable is the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw}: expected a non-negative number`);
  return value;
}

/** Row is one line of the results table: Tessera's figure beside a baseline measured in the same run. */
export interface Row {
  path: string;
  tessera: number;
  baseline: number;
  baselineName: string;
  /** Which way the comparison leans, in a few words: "fair", "flatters Tessera: …", "flatters the baseline: …". */
  fairness: string;
  /** Smaller is better (times, lags): the ratio column is then baseline / Tessera, so > 1 still means Tessera ahead. */
  lowerIsBetter?: boolean;
  /** Decimal places for the figures (default: whole numbers). */
  digits?: number;
}

/** formatRow prints a Row as a markdown table line. */
export function formatRow(r: Row): string {
  const fmt = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: r.digits ?? 0, minimumFractionDigits: r.digits ?? 0 }) : 'n/a');
  const ratio = r.lowerIsBetter ? r.baseline / r.tessera : r.tessera / r.baseline;
  return `| ${r.path} | ${fmt(r.tessera)} | ${fmt(r.baseline)} | ${r.baselineName} | ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}${r.lowerIsBetter ? ' (b/T)' : ''} | ${r.fairness} |`;
}

/** median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** percentile (nearest rank) of a list, p in 0–100. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** seconds since `start` (from process.hrtime.bigint()). */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** sleep for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** waitUntil polls `done` every `everyMs` until it holds, or throws after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number, what: string, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

let gcFn: (() => void) | undefined;
/** gc runs a full garbage collection (V8's gc, exposed at run time), so heap figures start from live data only. */
export function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

/** heapMiB is the V8 heap in use now, in MiB. */
export function heapMiB(): number {
  return process.memoryUsage().heapUsed / 1_048_576;
}

let ticksPerSecond: number | undefined;
/** processCpuSeconds reads another process's user + system CPU time from /proc (Linux); NaN where it cannot. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** CpuSpent: CPU seconds this process and etcd used over a measurement. */
export interface CpuSpent {
  self: number;
  etcd: number;
}

/** cpuMeter starts counting this process's and etcd's CPU time; call the result to read what was spent since. */
export function cpuMeter(etcdPid: number | undefined): () => CpuSpent {
  const self = process.cpuUsage();
  const etcd = processCpuSeconds(etcdPid);
  return () => {
    const used = process.cpuUsage(self);
    return { self: (used.user + used.system) / 1e6, etcd: processCpuSeconds(etcdPid) - etcd };
  };
}

/**
 * writeFleet stores `workers` and puts each one's live key on one shared lease — what `join`
 * and `goOnline` leave behind, written in batches (setting up 10,000 workers one join at a time
 * would take minutes and is not what the benchmarks measure).
 */
export async function writeFleet(store: TopologyStore, workers: WorkerRecord[], ttlMs = 3_600_000): Promise<void> {
  const lease = await store.kv.grantLease(ttlMs);
  const live = JSON.stringify({ connectedAtMs: Date.now(), schedulerId: 'bench' });
  const puts: KvPut[] = workers.flatMap((w) => [
    { key: store.keys.worker(w.id), value: JSON.stringify(w) },
    { key: store.keys.live(w.id), value: live, lease },
  ]);
  for (let i = 0; i < puts.length; i += 100) await store.kv.txn({ puts: puts.slice(i, i + 100) });
}

/** PassLog hears every controller pass: its seconds, and the heap in use as it ended. */
export interface PassLog {
  onPass?: (seconds: number, heapUsedBytes: number) => void;
}

/** benchMetrics are the controller's metrics, ignored but for the pass-time hook. */
export function benchMetrics(log: PassLog): ControllerMetrics {
  const none = { inc() {}, observe() {} };
  return {
    dispatchLatency: none,
    placements: none,
    shardResults: none,
    tenantGpuSeconds: none,
    tenantCpuSeconds: none,
    outputBytes: none,
    passSeconds: { observe: (seconds: number) => log.onPass?.(seconds, process.memoryUsage().heapUsed) },
  };
}

/** noAgents is an AgentLink whose agents accept every assignment and never report. */
export const noAgents: AgentLink = { assign: () => true, cancel: () => true, advertiseAddress: () => undefined, suspect: () => false };

/** newController builds a JobController as startScheduler does (no trust facts: every worker passes the trust filters). */
export function newController(parts: { jobs: JobStore; kv: Kv; root: string | undefined; topology: ConstructorParameters<typeof JobController>[0]['topology']; link?: AgentLink; log?: PassLog }): JobController {
  return new JobController({
    store: parts.jobs,
    cache: new JobCache(parts.jobs),
    tenants: new TenantStore(parts.kv, parts.root),
    topology: parts.topology,
    link: parts.link ?? noAgents,
    metrics: benchMetrics(parts.log ?? {}),
    logger: silent,
  });
}

/** makeRng is a small deterministic PRNG (mulberry32), so every run samples the same asks and fleet facts. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
