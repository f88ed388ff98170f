/**
 * npm run bench: each Tessera figure beside its baseline, measured in the same run against the
 * same private etcd, printed as one table with a column saying which way each comparison leans.
 * Figures and their reading go to BENCHMARKS.md.
 *
 *   store       heartbeat renewals (LeaseKeeper vs etcd3's keepaliveOnce), joins, connects
 *   placement   decisions/s (empty fleet, vs the issue's target); decisions/s at 50/80/95 %
 *               utilisation with trust floors and multi-family asks, vs a kube-scheduler breadth
 *   commits     committed placements vs raw etcd txns of the same shape, 1 and 4 in flight
 *   e2e         1,000 small jobs through the controller vs a raw replay of the same writes
 *   pass        one controller pass at 10k workers / 100k live shards (vs the 50 ms target)
 *   restart     startScheduler on a store with 100k shards and their results vs raw reads
 *   streams     StreamJobEvents lag to 1,000 subscribers vs 1,000 raw etcd watchers
 *   challenge   challenge sizing per GPU model, verify cost, heartbeats under verification
 *
 * BENCH_ONLY=commits,pass runs some sections; every size has a BENCH_… variable (below).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { Etcd3 } from 'etcd3';
import { newWorkerId, sha256Hex } from '../src/common/secrets.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { startEtcdServer } from '../src/store/etcd-server.js';
import { createJoinToken } from '../src/store/join-tokens.js';
import { LeaseKeeper } from '../src/store/lease-keeper.js';
import { CPU_HARDWARE, workerRecord } from '../test/support/workers.js';
import { heartbeatFigures, tableFigures, torchCpuTflops, verifyCostMs } from './challenge.js';
import { controllerPlacementsPerSecond, endToEnd, rawPlacementsPerSecond, startFleetView, type PlacementRun } from './commits.js';
import { envInt, formatRow, gc, median, silent, type CpuSpent, type Row } from './common.js';
import { passFigures } from './pass.js';
import { decisionsPerSecond, kubeCandidateLimit, utilisationDecisions } from './placement.js';
import { restartFigures } from './restart.js';
import { streamFigures } from './streams.js';

const MiB = 1024 * 1024;
const SIZES = {
  leases: envInt('BENCH_LEASES', 1000),
  joins: envInt('BENCH_JOINS', 500),
  decisions: envInt('BENCH_DECISIONS', 200_000),
  utilWorkers: envInt('BENCH_UTIL_WORKERS', 10_000),
  utilDecisions: envInt('BENCH_UTIL_DECISIONS', 2_000),
  commitWorkers: envInt('BENCH_COMMIT_WORKERS', 1_000),
  commitShards: envInt('BENCH_COMMIT_SHARDS', 4_000),
  repeats: envInt('BENCH_REPEATS', 3),
  e2eJobs: envInt('BENCH_E2E_JOBS', 1_000),
  e2eShards: envInt('BENCH_E2E_SHARDS', 4),
  e2eSubmitters: envInt('BENCH_E2E_SUBMITTERS', 8),
  passWorkers: envInt('BENCH_PASS_WORKERS', 10_000),
  passShards: envInt('BENCH_PASS_SHARDS', 100_000),
  passJobs: envInt('BENCH_PASS_JOBS', 1_000),
  passRepeats: envInt('BENCH_PASS_REPEATS', 5),
  // The issue asks for 100,000 shards and 1 GiB of results; filling etcd with that takes minutes
  // on 2 cores, so the default is a fifth of the shards and a sixteenth of the bytes.
  restartShards: envInt('BENCH_RESTART_SHARDS', 20_000),
  restartResultBytes: envInt('BENCH_RESTART_RESULT_BYTES', 64 * MiB),
  restartWorkers: envInt('BENCH_RESTART_WORKERS', 1_000),
  restartTrials: envInt('BENCH_RESTART_TRIALS', 1),
  streamSubscribers: envInt('BENCH_STREAM_SUBSCRIBERS', 1_000),
  streamConnections: envInt('BENCH_STREAM_CONNECTIONS', 100),
  streamEvents: envInt('BENCH_STREAM_EVENTS', 50),
  streamIntervalMs: envInt('BENCH_STREAM_INTERVAL_MS', 100),
};
const SECTIONS = ['store', 'placement', 'commits', 'e2e', 'pass', 'restart', 'streams', 'challenge'] as const;
type Section = (typeof SECTIONS)[number];
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`BENCH_ONLY: unknown section ${s} (one of ${SECTIONS.join(', ')})`);
const runs = (section: Section): boolean => only.length === 0 || only.includes(section);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (n: number): string => fmt(Math.round(n));

async function timed(n: number, run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** notes: lines printed under the table (details of rows, scales used). */
const notes: string[] = [];
const rows: Row[] = [];
/** extra: sections' own tables, printed after the main one. */
const extra: string[][] = [];
const elapsed: Array<[string, number]> = [];

/** section runs one part when selected, reporting its new rows on stderr as it finishes (the table comes at the end). */
async function section(name: Section, run: () => Promise<void>): Promise<void> {
  if (!runs(name)) return;
  const start = performance.now();
  const [rowsBefore, extraBefore] = [rows.length, extra.length];
  console.error(`bench: ${name}…`);
  try {
    await run();
  } catch (err) {
    // One section failing leaves the others' figures standing; the failure is printed with them.
    console.error(err);
    notes.push(`section ${name} FAILED: ${(err as Error).message}`);
  }
  gc();
  const seconds = (performance.now() - start) / 1000;
  elapsed.push([name, seconds]);
  for (const r of rows.slice(rowsBefore)) console.error(`  ${formatRow(r)}`);
  for (const lines of extra.slice(extraBefore)) console.error(lines.map((l) => `  ${l}`).join('\n'));
  console.error(`bench: ${name} done in ${seconds.toFixed(0)} s`);
}

async function storePaths(endpoint: string): Promise<void> {
  const client = new Etcd3({ hosts: endpoint });
  const store = new TopologyStore(new EtcdKv([endpoint]), '/bench/v1/', silent);
  const { leases, joins: JOINS } = SIZES;
  try {
    // Heartbeat renewals over `leases` leases, each renewed once per round, 3 rounds.
    const keeper = new LeaseKeeper(client, silent);
    const leaseIds = await Promise.all(Array.from({ length: leases }, () => keeper.grant(60_000)));
    await Promise.all(leaseIds.map((id) => keeper.keepAlive(id)));
    const shared = await timed(leases * 3, async () => {
      for (let round = 0; round < 3; round++) await Promise.all(leaseIds.map((id) => keeper.keepAlive(id)));
    });
    const libLeases = Array.from({ length: leases }, () => client.lease(60, { autoKeepAlive: false }));
    await Promise.all(libLeases.map((l) => l.grant()));
    const perCall = await timed(leases, async () => {
      // etcd3's Lease.keepaliveOnce opens a stream per call; batches of 100 keep it from exhausting sockets.
      for (let i = 0; i < leases; i += 100) await Promise.all(libLeases.slice(i, i + 100).map((l) => l.keepaliveOnce()));
    });
    rows.push({ path: `heartbeat lease renewals/s (${leases} leases)`, tessera: shared, baseline: perCall, baselineName: 'etcd3 Lease.keepaliveOnce', fairness: 'flatters Tessera: the baseline opens a stream per renewal' });
    await Promise.all(libLeases.map((l) => l.revoke()));
    await Promise.all(leaseIds.map((id) => keeper.revoke(id)));
    keeper.close();

    // Joins: fenced transaction (token read + txn) vs raw put of the same worker record.
    const { token } = await createJoinToken(store, { uses: JOINS + 1, ttlMs: 3_600_000 });
    const records = Array.from({ length: JOINS }, () => workerRecord({ hardware: CPU_HARDWARE }));
    const joins = await timed(JOINS, async () => {
      for (const r of records) await store.join(sha256Hex(token), r, sha256Hex('s'), Date.now());
    });
    const rawPuts = await timed(JOINS, async () => {
      for (const r of records) await client.put(`/bench-raw/workers/${r.id}`).value(JSON.stringify(r));
    });
    rows.push({ path: 'joins/s (sequential)', tessera: joins, baseline: rawPuts, baselineName: 'raw put of the record', fairness: 'flatters the baseline: 1 round trip vs a read + a fenced txn' });

    // Connects: grant + put on a lease vs raw put.
    const ids = Array.from({ length: JOINS }, () => newWorkerId());
    const live = { connectedAtMs: Date.now(), schedulerId: 'bench' };
    const connects = await timed(JOINS, async () => {
      for (const id of ids) await store.goOnline(id, live, 60_000);
    });
    const rawLive = await timed(JOINS, async () => {
      for (const id of ids) await client.put(`/bench-raw/live/${id}`).value(JSON.stringify(live));
    });
    rows.push({ path: 'connects/s (sequential)', tessera: connects, baseline: rawLive, baselineName: 'raw put of the live record', fairness: 'flatters the baseline: 1 round trip vs a lease grant + a put' });
  } finally {
    await store.deleteAll();
    await client.delete().prefix('/bench-raw/');
    await store.kv.close();
    client.close();
  }
}

function placement(): void {
  // The pure pipeline, one core, against the issue's target (≥ 50,000/s at 10k workers).
  for (const workers of [1_000, 10_000]) {
    decisionsPerSecond(workers, 5_000); // warm-up: let V8 optimise the pipeline
    rows.push({ path: `placement decisions/s, ${int(workers)} workers, empty fleet, 3 asks in turn`, tessera: decisionsPerSecond(workers, SIZES.decisions), baseline: 50_000, baselineName: 'target (issue), not measured', fairness: 'flatters Tessera: empty fleet, no trust floors' });
  }
  const { utilWorkers: workers, utilDecisions: count } = SIZES;
  utilisationDecisions(workers, 0.5, 500, 'tessera'); // warm-up
  utilisationDecisions(workers, 0.5, 200, 'kube');
  const table = ['| utilisation | breadth | decisions/s | placed | nodes looked at per decision | µs per decision in candidatesFor |', '| ---: | --- | ---: | ---: | ---: | ---: |'];
  for (const fraction of [0.5, 0.8, 0.95]) {
    const ours = utilisationDecisions(workers, fraction, count, 'tessera');
    const kube = utilisationDecisions(workers, fraction, count, 'kube');
    rows.push({
      path: `placement decisions/s, ${int(workers)} workers at ${fraction * 100} %, trust floors, 2–3 GPU families, sampled asks`,
      tessera: ours.perSecond,
      baseline: kube.perSecond,
      baselineName: `kube-scheduler breadth (score ≥ ${kubeCandidateLimit(workers)} feasible), same pipeline`,
      fairness: 'like for like in work per node; Tessera scores fewer nodes by design',
    });
    table.push(`| ${fraction * 100} % | Tessera (log2 n) | ${int(ours.perSecond)} | ${(ours.placed * 100).toFixed(1)} % | ${ours.evaluated.toFixed(0)} | ${ours.candidatesUs.toFixed(0)} |`);
    table.push(`| ${fraction * 100} % | kube-like (≥ ${kubeCandidateLimit(workers)}) | ${int(kube.perSecond)} | ${(kube.placed * 100).toFixed(1)} % | ${kube.evaluated.toFixed(0)} | ${kube.candidatesUs.toFixed(0)} |`);
  }
  extra.push([`Placement at utilisation (${int(workers)} workers, ${int(count)} sampled asks per cell):`, '', ...table]);
}

/** perThousand: CPU milliseconds per 1,000 placements, this process and etcd. */
function perThousand(runs: PlacementRun[], shards: number): string {
  const self = median(runs.map((r) => r.cpu.self)) * 1e6 / shards;
  const etcd = median(runs.map((r) => r.cpu.etcd)) * 1e6 / shards;
  return `${int(self)} ms here + ${int(etcd)} ms etcd`;
}

async function commits(endpoint: string, etcdPid: number | undefined): Promise<void> {
  const fleet = await startFleetView(SIZES.commitWorkers);
  const { commitShards: shards, repeats } = SIZES;
  try {
    for (const jobs of [1, 4]) {
      const ours: PlacementRun[] = [];
      const raw: PlacementRun[] = [];
      for (let r = 0; r < repeats; r++) {
        raw.push(await rawPlacementsPerSecond(endpoint, etcdPid, fleet, jobs, shards));
        ours.push(await controllerPlacementsPerSecond(endpoint, etcdPid, fleet, jobs, shards));
      }
      rows.push({
        path: `committed placements/s, ${jobs} job${jobs > 1 ? 's' : ''} × ${int(shards)} shards at once, ${int(SIZES.commitWorkers)} workers`,
        tessera: median(ours.map((r) => r.perSecond)),
        baseline: median(raw.map((r) => r.perSecond)),
        baselineName: `raw etcd3 txns, same shape (60 shards), ${jobs} in flight`,
        fairness: 'like for like; Tessera also decides, writes explanations, follows its watch',
      });
      const total = jobs * shards;
      notes.push(
        `committed placements, ${jobs} job(s): Tessera ${ours.map((r) => int(r.perSecond)).join(', ')}/s, raw ${raw.map((r) => int(r.perSecond)).join(', ')}/s (median of ${repeats}); CPU per 1,000 placements: Tessera ${perThousand(ours, total)}, raw ${perThousand(raw, total)}`,
      );
    }
  } finally {
    await fleet.close();
  }
}

async function e2e(endpoint: string, etcdPid: number | undefined): Promise<void> {
  const fleet = await startFleetView(SIZES.commitWorkers);
  try {
    const f = await endToEnd(endpoint, etcdPid, fleet, SIZES.e2eJobs, SIZES.e2eShards, SIZES.e2eSubmitters);
    const baselineName = `raw etcd3 replay of the same ${int(f.txns)} txns + ${int(f.grants)} lease grants, ${f.lanes} in flight`;
    const fairness = `flatters the baseline: Tessera's ${int(f.reads)} read${f.reads === 1 ? '' : 's'} not replayed`;
    rows.push({ path: `jobs/s end to end, ${int(f.jobs)} jobs × ${SIZES.e2eShards} shards (submit → succeeded)`, tessera: f.jobs / f.seconds, baseline: f.jobs / f.rawSeconds, baselineName, fairness, digits: 1 });
    rows.push({ path: `shards/s end to end, the same run`, tessera: f.shards / f.seconds, baseline: f.shards / f.rawSeconds, baselineName, fairness, digits: 1 });
    const cpu = (c: CpuSpent, seconds: number): string => `${fmt(c.self / seconds, 2)} cores here, ${fmt(c.etcd / seconds, 2)} etcd`;
    notes.push(
      `end to end: ${f.seconds.toFixed(1)} s for ${int(f.jobs)} jobs (${SIZES.e2eSubmitters} submitters); Tessera kept ${f.inFlight.toFixed(2)} writes in flight on average (${cpu(f.cpu, f.seconds)}); the replay took ${f.rawSeconds.toFixed(1)} s (${cpu(f.rawCpu, f.rawSeconds)})${f.rawFailed ? `, ${f.rawFailed} replayed compares failed` : ''}`,
    );
  } finally {
    await fleet.close();
  }
}

async function pass(): Promise<void> {
  const f = await passFigures(SIZES.passWorkers, SIZES.passShards, SIZES.passJobs, SIZES.passRepeats);
  const scale = `${int(f.workers)} workers, ${int(f.shards)} live shards`;
  const kinds: Array<[keyof typeof f.passes, string, string]> = [
    ['nothingDirty', 'nothing dirty', 'fair: no store calls'],
    ['oneDirty', 'one job dirty', 'fair: no store calls'],
    ['newJob', 'one new 4-shard job placed', 'flatters Tessera: in-memory store, no etcd round trip'],
    ['newJobRebuild', 'one new job, placement index rebuilt', 'flatters Tessera: in-memory store, no etcd round trip'],
  ];
  const table = ['| pass | wall ms (median) | CPU ms of this process | heap growth over the pass (MiB) |', '| --- | ---: | ---: | ---: |'];
  for (const [key, name, fairness] of kinds) {
    rows.push({ path: `controller pass ms, ${name} (${scale})`, tessera: f.passes[key].ms, baseline: 50, baselineName: 'target (issue), not measured', fairness, lowerIsBetter: true, digits: 1 });
    table.push(`| ${name} | ${fmt(f.passes[key].ms, 1)} | ${fmt(f.passes[key].cpuMs, 1)} | ${fmt(f.passes[key].heapMiB, 1)} |`);
  }
  extra.push([
    `Controller passes (${scale} across ${int(f.jobs)} jobs; median of ${f.repeats}; the controller's copies take ${fmt(f.stateMiB, 0)} MiB of heap, loaded in ${f.loadSeconds.toFixed(1)} s):`,
    '',
    ...table,
    '',
    `The placement index of every online worker (buildIndex), rebuilt alone on the same state: ${fmt(f.indexRebuildMs, 1)} ms. (Usage is no longer rebuilt per pass: placement asks the cache's per-worker index.)`,
  ]);
}

async function restart(): Promise<void> {
  const f = await restartFigures(SIZES.restartShards, SIZES.restartResultBytes, SIZES.restartWorkers, SIZES.restartTrials);
  const scale = `${int(f.shards)} shards, ${fmt(f.resultBytes / MiB, 0)} MiB of results, ${int(f.workers)} workers`;
  const baseline = { baseline: f.rawSeconds, baselineName: 'raw etcd3 read of the same prefixes, 1,000-key pages', lowerIsBetter: true, digits: 2 };
  rows.push({ path: `scheduler restart s, ${scale}`, tessera: f.seconds, ...baseline, fairness: 'flatters the baseline: no decoding, no cache, no watches' });
  notes.push(`restart: ${fmt(f.storedMiB, 0)} MiB stored (results twice: records and events), written in ${f.setupSeconds.toFixed(0)} s; heap peaked ${fmt(f.peakHeapMiB, 0)} MiB above the start, ${fmt(f.retainedHeapMiB, 0)} MiB retained (median of ${f.trials})`);
}

async function streams(endpoint: string): Promise<void> {
  const { streamSubscribers: subscribers, streamConnections: connections, streamEvents: events, streamIntervalMs: intervalMs } = SIZES;
  const f = await streamFigures(endpoint, subscribers, connections, events, intervalMs);
  const scale = `${int(subscribers)} subscribers, ${events} events ${intervalMs} ms apart`;
  // The gateway's gRPC clients decode in this process as the gateway encodes; the raw watchers' copies are encoded by etcd, in its own.
  const fairness = 'flatters the baseline: both ends of the gateway hop run in this process';
  rows.push({ path: `StreamJobEvents lag p99 ms, ${scale}`, tessera: f.tessera.p99, baseline: f.raw.p99, baselineName: `${int(subscribers)} raw etcd3 watchers, one client`, fairness, lowerIsBetter: true, digits: 1 });
  rows.push({ path: `StreamJobEvents lag p50 ms, the same run`, tessera: f.tessera.p50, baseline: f.raw.p50, baselineName: `${int(subscribers)} raw etcd3 watchers, one client`, fairness, lowerIsBetter: true, digits: 1 });
  notes.push(`streams: ${connections} client connections; max lag ${fmt(f.tessera.max, 1)} ms (raw ${fmt(f.raw.max, 1)} ms); ${f.tessera.missing} (raw ${f.raw.missing}) event deliveries missing`);
}

async function challenge(): Promise<void> {
  const hereTflops = (await torchCpuTflops()) ?? NaN;
  const figures = tableFigures(hereTflops);
  const verifyMs = await verifyCostMs();
  const beats = await heartbeatFigures(100);
  extra.push([
    `Challenges (RTT p99 50 ms, host allowance 200 ms). CPU cheat: PyTorch fp32 on this machine (${hereTflops.toFixed(3)} TFLOP/s measured now on the challenge kernel) and on a 16-vCPU host (0.933 TFLOP/s, fixture).`,
    '',
    '| model | rate basis | achievable TFLOP/s | work (TFLOP) | limit (ms) | a pass proves (TFLOP/s) | proven / achievable | CPU cheat here (s) | 16-vCPU cheat (s) | 16-vCPU cheat / limit |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...figures.map(
      (f) =>
        `| ${f.family} | ${f.basis} | ${f.achievableTflops} | ${f.workTflop.toFixed(1)} | ${f.limitMs} | ${f.provenTflops.toFixed(1)} | ${f.ratio.toFixed(2)} | ${(f.cheatHereMs / 1000).toFixed(0)} | ${(f.cheat16Ms / 1000).toFixed(1)} | ${(f.cheat16Ms / f.limitMs).toFixed(1)}× |`,
    ),
    '',
    `Scheduler verify cost: one 64×2048 tile, K = 1024, 2 Freivalds rounds: ${verifyMs.toFixed(1)} ms on one core (a GPU challenge reveals 8 tiles per device).`,
    '',
    '| heartbeat round trip (gRPC, same event loop) | p99 (ms) | wall time of the load (ms) |',
    '| --- | ---: | ---: |',
    `| idle | ${beats.idleP99Ms.toFixed(1)} | - |`,
    `| 100 tile verifications in worker threads (Tessera) | ${beats.threadsP99Ms.toFixed(1)} | ${beats.threadsWallMs.toFixed(0)} |`,
    `| 100 tile verifications on the event loop (baseline) | ${beats.inlineP99Ms.toFixed(1)} | ${beats.inlineWallMs.toFixed(0)} |`,
  ]);
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const started = performance.now();
  // The controller's timers are unref'd (a server exits when its sockets close); on the in-memory
  // store nothing else would keep this process alive while a pass is awaited.
  const alive = setInterval(() => undefined, 1_000);
  const etcd = await startEtcdServer();
  try {
    await section('store', () => storePaths(etcd.endpoint));
    await section('placement', () => Promise.resolve(placement()));
    await section('commits', () => commits(etcd.endpoint, etcd.process.pid));
    await section('e2e', () => e2e(etcd.endpoint, etcd.process.pid));
    await section('streams', () => streams(etcd.endpoint));
  } finally {
    await etcd.stop();
  }
  // These start their own stores: an in-memory one, and a private etcd with a larger quota.
  await section('pass', pass);
  await section('restart', restart);
  await section('challenge', challenge);
  clearInterval(alive);

  const etcdVersion = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${etcdVersion}`);
  console.log(`load average before: ${load(loadBefore)}; after: ${load(loadavg())}; ${((performance.now() - started) / 1000).toFixed(0)} s in all (${elapsed.map(([n, s]) => `${n} ${s.toFixed(0)} s`).join(', ')})`);
  console.log('');
  console.log('| path | Tessera | baseline | baseline is | Tessera / baseline | which way it leans |');
  console.log('| --- | ---: | ---: | --- | ---: | --- |');
  for (const r of rows) console.log(formatRow(r));
  console.log('');
  console.log('(b/T): a time or a lag, where smaller is better — the ratio is baseline / Tessera, so above 1 still means Tessera ahead.');
  for (const n of notes) console.log(`- ${n}`);
  for (const lines of extra) {
    console.log('');
    for (const l of lines) console.log(l);
  }
}

await main();
