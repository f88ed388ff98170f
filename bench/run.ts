/**
 * npm run bench: Tessera's store paths beside raw etcd operations of the same size, measured in
 * the same run against the same private etcd. Prints a table; figures go to BENCHMARKS.md.
 *
 *   heartbeat renewals  LeaseKeeper (one shared keep-alive stream, pipelined) vs etcd3's
 *                       Lease.keepaliveOnce() (a stream per call), over the same leases
 *   join                Tessera's fenced join transaction vs a raw put of the same record
 *   connect             goOnline (lease grant + put) vs a raw put of the same live record
 */
import { cpus } from 'node:os';
import { execFileSync } from 'node:child_process';
import { Etcd3 } from 'etcd3';
import { createLogger } from '../src/common/logger.js';
import { newWorkerId, sha256Hex } from '../src/common/secrets.js';
import { EtcdKv } from '../src/store/kv-etcd.js';
import { TopologyStore } from '../src/store/topology-store.js';
import { startEtcdServer } from '../src/store/etcd-server.js';
import { createJoinToken } from '../src/store/join-tokens.js';
import { LeaseKeeper } from '../src/store/lease-keeper.js';
import { CPU_HARDWARE, workerRecord } from '../test/support/workers.js';

import { committedPerSecond, decisionsPerSecond, rawBatchedPerSecond } from './placement.js';
import { heartbeatFigures, tableFigures, torchCpuTflops, verifyCostMs } from './challenge.js';

const logger = createLogger('bench', { TESSERA_LOG_LEVEL: 'silent' });
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 200_000);
const COMMIT_SHARDS = Number(process.env.BENCH_COMMIT_SHARDS ?? 4000);
const LEASES = Number(process.env.BENCH_LEASES ?? 1000);
const JOINS = Number(process.env.BENCH_JOINS ?? 500);

interface Row {
  path: string;
  tessera: number;
  baseline: number;
  baselineName: string;
}

async function timed(n: number, run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return n / seconds;
}

async function main(): Promise<void> {
  const etcd = await startEtcdServer();
  const client = new Etcd3({ hosts: etcd.endpoint });
  const store = new TopologyStore(new EtcdKv([etcd.endpoint]), '/bench/v1/', logger);
  const rows: Row[] = [];
  try {
    // Heartbeat renewals over LEASES leases, each renewed once per round, 3 rounds.
    const keeper = new LeaseKeeper(client, logger);
    const leaseIds = await Promise.all(Array.from({ length: LEASES }, () => keeper.grant(60_000)));
    await Promise.all(leaseIds.map((id) => keeper.keepAlive(id)));
    const shared = await timed(LEASES * 3, async () => {
      for (let round = 0; round < 3; round++) await Promise.all(leaseIds.map((id) => keeper.keepAlive(id)));
    });
    const libLeases = Array.from({ length: LEASES }, () => client.lease(60, { autoKeepAlive: false }));
    await Promise.all(libLeases.map((l) => l.grant()));
    const perCall = await timed(LEASES, async () => {
      // etcd3's Lease.keepaliveOnce opens a stream per call; batches of 100 keep it from exhausting sockets.
      for (let i = 0; i < LEASES; i += 100) await Promise.all(libLeases.slice(i, i + 100).map((l) => l.keepaliveOnce()));
    });
    rows.push({ path: `heartbeat lease renewals/s (${LEASES} leases)`, tessera: shared, baseline: perCall, baselineName: 'etcd3 Lease.keepaliveOnce' });
    await Promise.all(libLeases.map((l) => l.revoke()));
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
    rows.push({ path: 'joins/s (sequential)', tessera: joins, baseline: rawPuts, baselineName: 'raw put of the record' });

    // Connects: grant + put on a lease vs raw put.
    const ids = Array.from({ length: JOINS }, () => newWorkerId());
    const live = { connectedAtMs: Date.now(), schedulerId: 'bench' };
    const connects = await timed(JOINS, async () => {
      for (const id of ids) await store.goOnline(id, live, 60_000);
    });
    const rawLive = await timed(JOINS, async () => {
      for (const id of ids) await client.put(`/bench-raw/live/${id}`).value(JSON.stringify(live));
    });
    rows.push({ path: 'connects/s (sequential)', tessera: connects, baseline: rawLive, baselineName: 'raw put of the live record' });

    // Placement: the pure pipeline, one core, no baseline but the target (≥ 50,000/s at 10k workers).
    for (const workers of [1_000, 10_000]) {
      decisionsPerSecond(workers, 5_000); // warm-up: let V8 optimise the pipeline
      rows.push({ path: `placement decisions/s, ${workers.toLocaleString('en')} workers`, tessera: decisionsPerSecond(workers, DECISIONS), baseline: 50_000, baselineName: 'target (issue)' });
    }
    // Commits: the real controller (place + CAS commit + events) vs raw etcd txns of the same size.
    await rawBatchedPerSecond(etcd.endpoint, COMMIT_SHARDS); // warm-up of etcd and the client
    const raw = await rawBatchedPerSecond(etcd.endpoint, COMMIT_SHARDS);
    const rawPipelined = await rawBatchedPerSecond(etcd.endpoint, COMMIT_SHARDS, 4);
    const committed = await committedPerSecond(etcd.endpoint, 1_000, COMMIT_SHARDS);
    rows.push({ path: `committed placements/s (${COMMIT_SHARDS} shards, 1,000 workers)`, tessera: committed, baseline: raw, baselineName: 'raw etcd txns, 40 shards each, one at a time' });
    rows.push({ path: `committed placements/s (${COMMIT_SHARDS} shards, 1,000 workers)`, tessera: committed, baseline: rawPipelined, baselineName: 'raw etcd txns, 40 shards each, 4 in flight' });
  } finally {
    await store.kv.close();
    client.close();
    await etcd.stop();
  }

  const hereTflops = (await torchCpuTflops()) ?? NaN;
  const figures = tableFigures(hereTflops);
  const verifyMs = await verifyCostMs();
  const beats = await heartbeatFigures(100);

  const etcdVersion = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${etcdVersion}`);
  console.log('');
  console.log('| path | Tessera | baseline | baseline is | Tessera / baseline |');
  console.log('| --- | ---: | ---: | --- | ---: |');
  for (const r of rows) {
    console.log(`| ${r.path} | ${Math.round(r.tessera).toLocaleString('en')} | ${Math.round(r.baseline).toLocaleString('en')} | ${r.baselineName} | ${(r.tessera / r.baseline).toFixed(2)} |`);
  }
  console.log('');
  console.log('');
  console.log(`Challenges (RTT p99 50 ms, host allowance 200 ms). CPU cheat: PyTorch fp32 on this machine (${hereTflops.toFixed(3)} TFLOP/s measured now on the challenge kernel) and on a 16-vCPU host (0.933 TFLOP/s, fixture).`);
  console.log('');
  console.log('| model | rate basis | achievable TFLOP/s | work (TFLOP) | limit (ms) | a pass proves (TFLOP/s) | proven / achievable | CPU cheat here (s) | 16-vCPU cheat (s) | 16-vCPU cheat / limit |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const f of figures) {
    console.log(`| ${f.family} | ${f.basis} | ${f.achievableTflops} | ${f.workTflop.toFixed(1)} | ${f.limitMs} | ${f.provenTflops.toFixed(1)} | ${f.ratio.toFixed(2)} | ${(f.cheatHereMs / 1000).toFixed(0)} | ${(f.cheat16Ms / 1000).toFixed(1)} | ${(f.cheat16Ms / f.limitMs).toFixed(1)}× |`);
  }
  console.log('');
  console.log(`Scheduler verify cost: one 64×2048 tile, K = 1024, 2 Freivalds rounds: ${verifyMs.toFixed(1)} ms on one core (a GPU challenge reveals 8 tiles per device).`);
  console.log('');
  console.log('| heartbeat round trip (gRPC, same event loop) | p99 (ms) | wall time of the load (ms) |');
  console.log('| --- | ---: | ---: |');
  console.log(`| idle | ${beats.idleP99Ms.toFixed(1)} | - |`);
  console.log(`| 100 tile verifications in worker threads (Tessera) | ${beats.threadsP99Ms.toFixed(1)} | ${beats.threadsWallMs.toFixed(0)} |`);
  console.log(`| 100 tile verifications on the event loop (baseline) | ${beats.inlineP99Ms.toFixed(1)} | ${beats.inlineWallMs.toFixed(0)} |`);
}

await main();

