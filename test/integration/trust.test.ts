/**
 * The adversary suite: agents as separate processes, each against a real scheduler and etcd,
 * some spoofing hardware with a stand-in nvidia-smi that prints real captured output, some
 * patched to cheat on the compute challenge (test/support/adversary-agent.ts). Honest workers
 * must never be flagged; a worker that cannot run a challenge stays unverified with its reason.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '../../src/gen/tessera/v1/Worker.js';
import type { GetWorkerResponse } from '../../src/gen/tessera/v1/GetWorkerResponse.js';
import type { JoinResponse } from '../../src/gen/tessera/v1/JoinResponse.js';
import type { GetFleetSummaryResponse } from '../../src/gen/tessera/v1/GetFleetSummaryResponse.js';
import { trustStateOf, type TrustRecord } from '../../src/common/trust.js';
import { answerOnCpu, type ChallengeShape } from '../../src/common/challenge.js';
import { provenGpuIndices } from '../../src/common/trust.js';
import defaultTable from '../../src/scheduler/trust/gpu-throughput.json' with { type: 'json' };
import { chmod, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import type { WorkerRecord } from '../../src/common/worker.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { fakeNvidiaSmi, fakeNvidiaSmiFrom } from '../support/fake-nvidia-smi.js';
import { captureSection, fixture, REPO_ROOT } from '../support/fixtures.js';
import { sampleValue, scrape } from '../support/metrics.js';
import { runTessera, spawnTessera, stopAll, waitFor, type TesseraProcess } from '../support/processes.js';
import { call, startServers, type Servers } from '../support/servers.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let etcd: EtcdServer;
let servers: Servers;
let stateRoot: string;
let token: string;
let flapProxy: TcpProxy;
let flapTimer: NodeJS.Timeout;
const ids: Record<string, string> = {};
const procs: Record<string, TesseraProcess | ReturnType<typeof spawn>> = {};

function agentArgs(name: string, scheduler = servers.scheduler.address): string[] {
  return ['agent', '--scheduler', scheduler, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name, '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '500ms', '--advertise-address', '127.0.0.1', ...servers.agentArgs];
}

async function startAgent(name: string, options: { smiDir?: string; scheduler?: string; extra?: string[] } = {}): Promise<void> {
  const env = options.smiDir ? { PATH: `${options.smiDir}${delimiter}${process.env.PATH}` } : {};
  const p = spawnTessera([...agentArgs(name, options.scheduler), ...(options.extra ?? [])], env);
  procs[name] = p;
  // Twenty processes start at once on two cores (some importing PyTorch): give them time.
  ids[name] = String((await p.waitForLog((l) => l.msg === 'connected to scheduler', 120_000)).workerId);
}

/** startAdversary runs a patched agent (or, with --count, several in one process: ids name-0, name-1, …). */
async function startAdversary(name: string, mode: string, extra: string[] = [], count = 1): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/adversary-agent.ts'), mode, '--scheduler', servers.scheduler.address, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name, '--count', String(count), ...servers.agentArgs, ...extra], {
    env: { ...process.env, TESSERA_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  procs[name] = child;
  const names = count > 1 ? Array.from({ length: count }, (_, i) => `${name}-${i}`) : [name];
  // Each agent of the process logs with its name ("agent": "relay-0"), so ids map by name.
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; agent?: string; workerId?: string };
      if (entry.msg === 'connected to scheduler' && entry.agent && entry.workerId) ids[entry.agent] = entry.workerId;
      if (names.every((n) => ids[n])) resolve();
    });
  });
  return child;
}

/** calibrateRelayRate: the T4 rate at which one CPU solver needs about 3/4 of the limit for one challenge (measured now, on a quiet machine). */
async function calibrateRelayRate(): Promise<number> {
  const shape: ChallengeShape = { inner: 1024, tileRows: 64, tileCols: 2048, rowTiles: 1, colTiles: 2, leafBands: 16 };
  const started = performance.now();
  await answerOnCpu(Buffer.alloc(32, 1), shape, Date.now() + 120_000);
  const flopsPerMs = (2 * 64 * 2 * 2048 * 1024) / (performance.now() - started);
  // s = work/S = 0.75·(1.5·work/R + allowance) with work ≈ 0.5 s × R gives R ≈ 1.425·S.
  return (1.425 * flopsPerMs * 1000) / 1e12;
}

async function worker(name: string): Promise<Worker> {
  const { response, error } = await call(servers.gatewayClient.GetWorker.bind(servers.gatewayClient), { workerId: ids[name]! });
  if (error) throw error;
  return (response as GetWorkerResponse).worker!;
}

async function until(name: string, predicate: (w: Worker) => boolean, what: string, timeoutMs = 30_000): Promise<Worker> {
  let last: Worker | undefined;
  try {
    return await waitFor(async () => {
      last = await worker(name);
      return predicate(last) ? last : undefined;
    }, timeoutMs, `${name}: ${what}`, 200);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: trust ${last?.trust}, flags ${JSON.stringify(last?.flags.map((f) => f.detail))}, reason ${last?.unverifiedReason}, challenges ${JSON.stringify(last?.challenges.map((c) => c.reason))}`);
  }
}

const flagged = (reason: string) => (w: Worker): boolean => w.trust === 'TRUST_STATE_FLAGGED' && w.flags.some((f) => f.reason === reason);

/** crashingPython: a stand-in for Python whose "helper" sees CUDA, warms up, then dies on the first challenge. */
async function crashingPython(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-crash-py-'));
  const script = ['#!/bin/sh', 'while read -r line; do', '  case "$line" in', '    *\'"op":"probe"\'*) echo \'{"torch": "stand-in", "cuda": true, "device": "stand-in"}\' ;;', '    *\'"op":"warmup"\'*) echo \'{"ok": true, "ms": 1}\' ;;', '    *) echo "helper crashing on: $line" >&2; exit 1 ;;', '  esac', 'done'].join('\n');
  await writeFile(join(dir, 'python'), script + '\n');
  await chmod(join(dir, 'python'), 0o755);
  return join(dir, 'python');
}

beforeAll(async () => {
  stateRoot = await mkdtemp(join(tmpdir(), 'tessera-trust-'));
  // The relay test claims Tesla T4 at a rate one CPU can just meet: a table of the real rows with that one changed.
  const relayTflops = await calibrateRelayRate();
  const table = structuredClone(defaultTable);
  table.rows = table.rows.map((r) => (r.family === 'T4' ? { ...r, measuredMatmulTflops: relayTflops / table.kernelShare.value } : r));
  await writeFile(join(stateRoot, 'throughput.json'), JSON.stringify(table));
  etcd = await startEtcd();
  servers = await startServers(etcd.endpoint, {
    leaseTtl: '3s',
    heartbeatInterval: '500ms',
    scheduler: { challengeIntervalMs: '8s', challengeDelayMs: '1500ms', rttReportIntervalMs: '2s', gpuThroughputFile: join(stateRoot, 'throughput.json') },
  });
  token = (await createJoinToken(servers.store, { uses: 100, ttlMs: 3_600_000 })).token;
  flapProxy = await TcpProxy.start(servers.scheduler.address);

  const h100Text = captureSection(fixture('gpu-discovery/nvidia_gpu_exporter/linux-x86_64__nvidia-h100-mig__590.48.01.txt'), 'nvidia-smi -q');
  // No real vGPU capture exists (see test/fixtures/gpu-discovery/SOURCES.md): the fraud case is the real T4
  // report with its virtualization mode changed, exactly what a spoofing vGPU guest would print.
  const vgpuXml = fixture('gpu-discovery/telegraf/tesla-t4.xml').replace('<virtualization_mode>Pass-Through</virtualization_mode>', '<virtualization_mode>VGPU</virtualization_mode>');
  const [h100, dup, vgpu, rtx4090] = await Promise.all([fakeNvidiaSmiFrom({ text: h100Text }), fakeNvidiaSmi('gpu-discovery/telegraf/a10g.xml'), fakeNvidiaSmiFrom({ xml: vgpuXml }), fakeNvidiaSmi('gpu-discovery/netdata/rtx-4090-driver-535.xml')]);
  const python = await crashingPython();
  rtx4090Uuid = /<uuid>([^<]+)<\/uuid>/.exec(fixture('gpu-discovery/netdata/rtx-4090-driver-535.xml'))![1]!;
  // An earlier worker proved the A10G whose UUID dup-a and dup-b will report (what a pass records).
  const seed = new EtcdKv([etcd.endpoint]);
  await seed.txn({ puts: [{ key: `${servers.root}device-ids/uuid/${createHash('sha256').update(A10G_UUID).digest('hex')}`, value: JSON.stringify({ kind: 'uuid', id: A10G_UUID, workerId: SEEDED_HOLDER, firstSeenAtMs: Date.now() - 86_400_000 }) }] });
  await seed.close();
  await Promise.all([
    startAgent('honest-1'),
    startAgent('honest-2'),
    startAgent('changes-gpu'),
    startAgent('fake-h100', { smiDir: h100 }),
    startAgent('dup-a', { smiDir: dup }),
    startAgent('dup-b', { smiDir: dup }),
    startAgent('vgpu', { smiDir: vgpu }),
    startAgent('crashing-helper', { smiDir: rtx4090, extra: ['--python', python] }),
    startAgent('flapper', { scheduler: flapProxy.address }),
    startAdversary('wrong-tile', 'wrong-tile'),
    startAdversary('replay', 'replay'),
    startAdversary('relay', 'relay', ['--claim', 'Tesla T4'], 3),
    startAdversary('cpu-torch', 'cpu-torch', ['--claims', 'NVIDIA H100 80GB HBM3,NVIDIA H200,NVIDIA GeForce RTX 4090,NVIDIA B200,NVIDIA GH200 480GB'], 5),
  ]);
  // A flaky link: the flapper's connection is cut every 2.5 s.
  flapTimer = setInterval(() => flapProxy.resetAll(), 2_500);
}, 240_000);

afterAll(async () => {
  clearInterval(flapTimer);
  for (const p of Object.values(procs)) if ('kill' in p) p.kill('SIGKILL');
  await stopAll();
  await flapProxy?.close();
  await servers?.stop();
  await etcd?.stop();
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
});

const A10G_UUID = 'GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94';
const SEEDED_HOLDER = 'w-00000000000000aa';
let rtx4090Uuid = '';

const unverified = (w: Worker): boolean => w.trust === 'TRUST_STATE_UNVERIFIED' && w.unverifiedReason !== '';

describe('the adversary suite', () => {
  it('keeps an H100 claim on a machine whose PyTorch sees no CUDA unverified, with the reason, and never flags it', async () => {
    const w = await until('fake-h100', unverified, 'unverified with a reason');
    expect(w.hardware!.gpus[0]!.name).toBe('NVIDIA H100 80GB HBM3');
    // The capture's UUID is masked upstream (zeros): a placeholder names no device, so it is never supply.
    expect(w.unverifiedReason).toMatch(/cannot verify/);
    expect(w.flags).toEqual([]);
    expect(w.provenGpus).toBe(0);
  });

  it('flags patched agents answering H100, H200, RTX 4090 and B200 challenges with PyTorch on the CPU as too slow, and leaves an unknown model unverified', async () => {
    const models = ['H100', 'H200', 'RTX 4090', 'B200'];
    for (const [i, model] of models.entries()) {
      const w = await until(`cpu-torch-${i}`, flagged('too-slow'), `${model} claim flagged`, 60_000);
      expect(w.flags.find((f) => f.reason === 'too-slow')!.detail).toMatch(new RegExp(`^too slow for ${model}: .*${model} needs at most \\d+ ms for [\\d.]+ TFLOP`));
      const c = w.challenges.find((x) => x.gpuIndex === 0)!;
      // The record says what a pass would have proved, beside the claimed rate: at least half of it.
      expect(c.passed).toBe(false);
      expect(c.provenTflops).toBeGreaterThanOrEqual(c.claimedTflops / 2);
      // At least half a second of the claimed model's rate: the work dominates the allowances.
      expect(c.workFlops).toBeGreaterThanOrEqual(c.claimedTflops * 1e12 * 0.5 * 0.999);
      expect(w.provenGpus).toBe(0);
    }
    const unknown = await until('cpu-torch-4', unverified, 'unknown model unverified');
    expect(unknown.unverifiedReason).toMatch(/cannot verify NVIDIA GH200 480GB: no throughput row for this model/);
    expect(unknown.flags).toEqual([]);
  });

  it("flags a tile with one wrong entry, caught by Freivalds' check behind a matching fingerprint", async () => {
    const w = await until('wrong-tile', flagged('wrong-answer'), 'flagged wrong answer');
    expect(w.flags.find((f) => f.reason === 'wrong-answer')!.detail).toMatch(/^wrong answer: tile \(\d+,\d+\) row \d+ fails Freivalds' check/);
  });

  it('flags an answer replayed from an earlier challenge', async () => {
    const w = await until('replay', flagged('replayed-answer'), 'flagged replayed');
    expect(w.flags.find((f) => f.reason === 'replayed-answer')!.detail).toMatch(/^replayed answer: this commitment was already given for challenge c-[0-9a-f]{16}$/);
  });

  it('verifies at most one of three T4 claims relayed to one solver: they are challenged at the same instant', async () => {
    const relays = ['relay-0', 'relay-1', 'relay-2'];
    const settled = await Promise.all(relays.map((n) => until(n, (w) => w.trust !== 'TRUST_STATE_UNVERIFIED' || w.challenges.length > 0, 'challenged', 60_000)));
    const final = await Promise.all(relays.map((n) => worker(n)));
    const verified = final.filter((w) => w.trust === 'TRUST_STATE_VERIFIED');
    const slow = final.filter((w) => w.flags.some((f) => f.reason === 'too-slow'));
    expect(verified.length, JSON.stringify(final.map((w) => w.challenges))).toBeLessThanOrEqual(1);
    expect(slow.length).toBeGreaterThanOrEqual(2);
    expect(settled).toHaveLength(3);
  });

  it('keeps a GPU whose challenge helper crashes unverified with the reason; the scheduler goes on', async () => {
    // Until the helper has died it says the runtime is starting ("cannot verify yet"); then the reason.
    const w = await until('crashing-helper', (x) => unverified(x) && !x.unverifiedReason.startsWith('cannot verify yet'), 'unverified after the helper crashed');
    expect(w.unverifiedReason).toMatch(/cannot verify: challenge helper failed \(challenge helper exited/);
    expect(w.flags).toEqual([]);
    expect((await worker('honest-1')).flags).toEqual([]);
  });

  it('counts a disconnect during a challenge as a failed one and challenges the worker the moment it returns', async () => {
    const dodger = await startAdversary('dodger', 'dodge');
    const exitCode = await new Promise<number | null>((resolve) => dodger.once('exit', resolve));
    expect(exitCode).toBe(3);
    const w = await until('dodger', (x) => /disconnected during a compute challenge/.test(x.unverifiedReason), 'dodge recorded', 15_000);
    expect(w.trust).toBe('TRUST_STATE_UNVERIFIED');
    // Back as an honest agent under the same identity: challenged at once, not after --challenge-delay (1.5 s).
    const back = spawnTessera(agentArgs('dodger'));
    procs.dodger = back;
    const connected = await back.waitForLog((l) => l.msg === 'connected to scheduler', 30_000);
    const challenged = await back.waitForLog((l) => l.msg === 'compute challenge received', 30_000);
    expect(Date.parse(String(challenged.time)) - Date.parse(String(connected.time))).toBeLessThan(1_000);
    await until('dodger', (x) => x.trust === 'TRUST_STATE_VERIFIED', 'verified after answering');
  });

  it('flags workers reporting a GPU UUID another worker proved first; a claim alone squats nothing', async () => {
    // The A10G's UUID was proven by an earlier worker (seeded in beforeAll, as a pass writes it).
    for (const name of ['dup-a', 'dup-b']) {
      const w = await until(name, flagged('duplicate-gpu'), 'flagged duplicate');
      expect(w.flags.find((f) => f.reason === 'duplicate-gpu')!.detail).toMatch(new RegExp(`^duplicate GPU: uuid ${A10G_UUID} was first proven by ${SEEDED_HOLDER} \\(\\d{4}-`));
    }
    const kv = new EtcdKv([etcd.endpoint]);
    try {
      const holders = (await kv.range(`${servers.root}device-ids/uuid/`)).entries.map((e) => JSON.parse(e.value) as { id: string; workerId: string });
      expect(holders.find((h) => h.id === A10G_UUID)!.workerId).toBe(SEEDED_HOLDER);
      // The RTX 4090 of the worker whose helper crashes was never proven: reporting its UUID claimed nothing.
      expect(rtx4090Uuid).toMatch(/^GPU-/);
      expect(holders.map((h) => h.id)).not.toContain(rtx4090Uuid);
    } finally {
      await kv.close();
    }
    // UUIDs and serials are not published to callers without an API key, so they cannot be copied from the API.
    const first = await worker('dup-a');
    expect(first.hardware!.gpus[0]!.uuid).toBe('redacted');
    const { apiKey } = await servers.jobs.createTenant('uuid-reader');
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${apiKey}`);
    const withKey = await new Promise<GetWorkerResponse>((resolve, reject) => servers.gatewayClient.GetWorker({ workerId: first.id }, metadata, (e, r) => (e ? reject(e) : resolve(r!))));
    expect(withKey.worker!.hardware!.gpus[0]!.uuid).toBe(A10G_UUID);
  });

  it('flags a GPU in vGPU virtualization mode', async () => {
    const w = await until('vgpu', flagged('virtualized'), 'flagged virtualized');
    expect(w.flags.find((f) => f.reason === 'virtualized')!.detail).toMatch(/^GPU 0 \(Tesla T4\) is in virtualization mode vgpu/);
  });

  it('makes a worker that changes its GPU after verification unverified until it passes again', async () => {
    await until('changes-gpu', (w) => w.trust === 'TRUST_STATE_VERIFIED', 'verified as a CPU worker');
    const restarted = procs['changes-gpu'] as TesseraProcess;
    await restarted.stop('SIGKILL');
    const smi = await fakeNvidiaSmi('gpu-discovery/telegraf/rtx-3080-v13.xml');
    const p = spawnTessera(agentArgs('changes-gpu'), { PATH: `${smi}${delimiter}${process.env.PATH}` });
    procs['changes-gpu'] = p;
    await p.waitForLog((l) => l.msg === 'connected to scheduler');
    const changed = await until('changes-gpu', (w) => (w.hardware?.gpus.length ?? 0) === 1, 'reports the RTX 3080');
    expect(changed.trust).not.toBe('TRUST_STATE_VERIFIED');
    // This machine has no CUDA: the new card cannot be proven, so the worker stays unverified, with the reason.
    const after = await until('changes-gpu', unverified, 'challenged again and left unverified');
    expect(after.unverifiedReason).toMatch(/cannot verify/);
    expect(after.provenGpus).toBe(0);
  });

  it('never flags honest CPU-only workers, and verifies them', async () => {
    for (const name of ['honest-1', 'honest-2']) {
      const w = await until(name, (x) => x.trust === 'TRUST_STATE_VERIFIED', 'verified');
      expect(w.flags).toEqual([]);
    }
  });

  it("ranks a worker whose connection keeps dropping below steady ones, and the CLI recomputes the API's score from the log", async () => {
    await new Promise((r) => setTimeout(r, 8_000));
    const flapper = await worker('flapper');
    const steady = await worker('honest-1');
    // Both joined minutes ago, so the tenure prior holds both scores near 40: the records differ.
    expect(flapper.reputation!.record).toBeLessThan(steady.reputation!.record);
    expect(flapper.reputation!.score).toBeLessThanOrEqual(steady.reputation!.score);
    expect(flapper.flags).toEqual([]);
    for (const w of [flapper, steady]) {
      const asOf = Math.round(Number(w.reputation!.asOf!.seconds) * 1000 + w.reputation!.asOf!.nanos / 1e6);
      const cli = await runTessera(['reputation', w.id, '--as-of', String(asOf), '--json', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
      expect(cli.code, cli.stderr).toBe(0);
      expect((JSON.parse(cli.stdout) as { score: number }).score).toBe(w.reputation!.score);
    }
    const explained = await runTessera(['reputation', flapper.id, '--explain', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
    expect(explained.stdout).toMatch(/stability .* connection\(s\) in the last day/);
    expect(explained.stdout).toMatch(/tenure 0\.\d+ days: score = /);
    // Exported and recomputed without the store, it is the same number.
    const exported = await runTessera(['reputation', flapper.id, '--export', '--as-of', '2030-01-01T00:00:00Z', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
    expect(exported.code, exported.stderr).toBe(0);
    const file = join(stateRoot, 'flapper-reputation.json');
    await writeFile(file, exported.stdout);
    const direct = await runTessera(['reputation', flapper.id, '--as-of', '2030-01-01T00:00:00Z', '--json', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
    const offline = await runTessera(['reputation', '--from-file', file, '--json']);
    expect((JSON.parse(offline.stdout) as { score: number }).score).toBe((JSON.parse(direct.stdout) as { score: number }).score);
  });

  it('counts verified supply in /metrics exactly as a checker recomputes it from etcd', async () => {
    const kv = new EtcdKv([etcd.endpoint]);
    try {
      const [workers, live, trust] = await Promise.all([kv.range(`${servers.root}workers/`), kv.range(`${servers.root}live/`), kv.range(`${servers.root}trust/`)]);
      const liveIds = new Set(live.entries.map((e) => e.key.slice(`${servers.root}live/`.length)));
      const trustById = new Map(trust.entries.map((e) => { const r = JSON.parse(e.value) as TrustRecord; return [r.workerId, r]; }));
      const expected = new Map<string, { claimed: number; verified: number; flagged: number }>();
      for (const e of workers.entries) {
        const w = JSON.parse(e.value) as WorkerRecord;
        if (!liveIds.has(w.id)) continue;
        const state = trustStateOf(trustById.get(w.id), w.hardware);
        const proven = provenGpuIndices(trustById.get(w.id), w.hardware);
        w.hardware.gpus.forEach((g, i) => {
          const row = expected.get(g.name) ?? { claimed: 0, verified: 0, flagged: 0 };
          row.claimed++;
          if (proven.has(i)) row.verified++;
          if (state === 'flagged') row.flagged++;
          expected.set(g.name, row);
        });
      }
      expect(expected.size).toBeGreaterThanOrEqual(3);
      const page = await scrape(servers.scheduler.metricsUrl);
      const summary = await new Promise<GetFleetSummaryResponse>((resolve, reject) => servers.gatewayClient.GetFleetSummary({}, (e, r) => (e ? reject(e) : resolve(r!))));
      for (const [model, row] of expected) {
        for (const state of ['claimed', 'verified', 'flagged'] as const) {
          expect(sampleValue(page, 'tessera_gpus', { state, model }), `${state} ${model}`).toBe(row[state]);
          expect(summary.gpus.find((g) => g.model === model)![state]).toBe(row[state]);
        }
      }
      // Every GPU in this fleet is spoofed, relayed or duplicated: at most the one relay that beat the clock is verified supply.
      expect([...expected.entries()].every(([model, r]) => r.verified === 0 || (model === 'Tesla T4' && r.verified <= 1))).toBe(true);
    } finally {
      await kv.close();
    }
  });
});

/**
 * connectRaw joins a worker with honest-1's hardware and speaks for it over a bare Connect stream,
 * beating every 300 ms (claiming `lastRttUs`, if given) so the scheduler keeps it connected.
 */
async function connectRaw(name: string, lastRttUs = 0): Promise<{ stream: grpc.ClientDuplexStream<object, object>; stop: () => void }> {
  const hardware = (await worker('honest-1')).hardware!;
  const { response } = await call(servers.agentClient.Join.bind(servers.agentClient), { joinToken: token, name, region: 'eu-west', labels: {}, hardware, agentVersion: 'raw' });
  const joined = response as JoinResponse;
  const metadata = new grpc.Metadata();
  metadata.set('tessera-worker-id', joined.workerId);
  metadata.set('authorization', `Bearer ${joined.workerSecret}`);
  const stream = servers.agentClient.Connect(metadata);
  stream.on('error', () => undefined);
  stream.write({ hello: { workerId: joined.workerId, hardware, agentVersion: 'raw', region: 'eu-west', labels: {} } });
  ids[name] = joined.workerId;
  let sequence = 0;
  const beats = setInterval(() => stream.write({ heartbeat: { sequence: ++sequence, sentUnixMs: Date.now(), lastRttUs } }), 300);
  return { stream, stop: () => clearInterval(beats) };
}

describe('malformed challenge answers', () => {
  it('are refused with a clear reason (a short commitment, a forged tile, a huge message); the scheduler keeps serving', async () => {
    const before = (await scrape(servers.scheduler.metricsUrl)).length;
    expect(before).toBeGreaterThan(0);
    // A raw client speaking for a joined worker answers its challenge with a 5-byte commitment.
    const first = await connectRaw('raw');
    const stream = first.stream;
    stream.write({ challengeCommit: { challengeId: 'c-not-issued', root: Buffer.alloc(32) } });
    await new Promise<void>((resolve) => stream.on('data', (m: { msg: string; computeChallenge?: { challengeId: string } }) => {
      if (m.msg === 'computeChallenge') {
        stream.write({ challengeCommit: { challengeId: m.computeChallenge!.challengeId, root: Buffer.alloc(5) } });
        resolve();
      }
    }));
    const w = await until('raw', flagged('wrong-answer'), 'flagged malformed');
    expect(w.flags.find((f) => f.reason === 'wrong-answer')!.detail).toBe('malformed answer: expected a 32-byte commitment, got 5 bytes');
    first.stop();
    stream.end();

    // Another reveals tiles of the right size whose leaf cannot lead to its commitment, then sends a 2 MiB message.
    const second = await connectRaw('raw-nan');
    const raw = second.stream;
    let size = 0;
    const ended = new Promise<grpc.StatusObject>((resolve) => raw.on('status', resolve));
    // It commits to a random root, then reveals tiles of the right size whose leaf cannot lead there.
    raw.on('data', (m: { msg: string; computeChallenge?: { challengeId: string; tileRows: number; tileCols: number }; revealTiles?: { challengeId: string; tiles: Array<{ rowTile: number; colTile: number }> } }) => {
      if (m.msg === 'computeChallenge') {
        size = m.computeChallenge!.tileRows * m.computeChallenge!.tileCols * 2;
        raw.write({ challengeCommit: { challengeId: m.computeChallenge!.challengeId, root: randomBytes(32), device: 'raw' } });
      } else if (m.msg === 'revealTiles') {
        for (const t of m.revealTiles!.tiles) raw.write({ challengeTile: { challengeId: m.revealTiles!.challengeId, ...t, values: Buffer.alloc(size), leaf: Buffer.alloc(16), proof: [] } });
      }
    });
    const bad = await until('raw-nan', flagged('wrong-answer'), 'flagged for a forged tile');
    expect(bad.flags.find((f) => f.reason === 'wrong-answer')!.detail).toMatch(/^wrong answer: tile \(\d+,\d+\): expected \d+ bytes of values, a leaf of \d+ bytes and 32-byte proof hashes; got \d+, 16 and 0 hashes$/);
    raw.write({ challengeTile: { challengeId: 'c-huge', values: Buffer.alloc(2 * 1024 * 1024) } });
    expect((await ended).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    second.stop();
    // Honest workers are still served and still verified.
    expect((await worker('honest-2')).trust).toBe('TRUST_STATE_VERIFIED');
    expect(sampleValue(await scrape(servers.scheduler.metricsUrl), 'tessera_scheduler_agent_streams')).toBeGreaterThan(5);
  });
});

describe('a patched agent lying about its round trip', () => {
  it('is measured by the scheduler instead: a claimed 1 µs beside pongs held back 80 ms', async () => {
    // It claims a 1 µs round trip in every heartbeat…
    const { stream, stop } = await connectRaw('fake-rtt', 1);
    // …but its link (here: the agent itself) holds every pong back 80 ms.
    stream.on('data', (m: { msg: string; ping?: { nonce: string | number } }) => {
      if (m.msg === 'ping') setTimeout(() => stream.write({ pong: { nonce: m.ping!.nonce } }), 80);
    });
    try {
      const w = await until('fake-rtt', (x) => (x.reputation?.components.find((c) => c.name === 'jitter')?.detail ?? '').startsWith('round trip'), 'a measured round trip in its reputation', 30_000);
      const mean = Number(/round trip ([\d.]+) ms/.exec(w.reputation!.components.find((c) => c.name === 'jitter')!.detail)![1]);
      expect(mean).toBeGreaterThanOrEqual(80);
    } finally {
      stop();
      stream.end();
    }
  });
});
