/**
 * The adversary suite: agents as separate processes, each against a real scheduler and etcd,
 * some spoofing hardware with a stand-in nvidia-smi that prints real captured output, some
 * cheating on the compute challenge. Honest CPU-only workers must never be flagged.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '../../src/gen/tessera/v1/Worker.js';
import type { GetWorkerResponse } from '../../src/gen/tessera/v1/GetWorkerResponse.js';
import type { JoinResponse } from '../../src/gen/tessera/v1/JoinResponse.js';
import type { GetFleetSummaryResponse } from '../../src/gen/tessera/v1/GetFleetSummaryResponse.js';
import { trustStateOf, type TrustRecord } from '../../src/common/trust.js';
import { rowsRoot } from '../../src/common/challenge.js';
import { randomBytes } from 'node:crypto';
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
  return ['agent', '--scheduler', scheduler, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name, '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '500ms', '--advertise-address', '127.0.0.1'];
}

async function startAgent(name: string, options: { smiDir?: string; scheduler?: string } = {}): Promise<void> {
  const env = options.smiDir ? { PATH: `${options.smiDir}${delimiter}${process.env.PATH}` } : {};
  const p = spawnTessera(agentArgs(name, options.scheduler), env);
  procs[name] = p;
  ids[name] = String((await p.waitForLog((l) => l.msg === 'connected to scheduler', 30_000)).workerId);
}

async function startAdversary(name: string, mode: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/adversary-agent.ts'), mode, '--scheduler', servers.scheduler.address, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name], {
    env: { ...process.env, TESSERA_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  procs[name] = child;
  ids[name] = await new Promise<string>((resolve) => {
    let buffer = '';
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      const m = /"workerId":"(w-[0-9a-f]{16})"[^\n]*"msg":"connected to scheduler"/.exec(buffer);
      if (m) resolve(m[1]!);
    });
  });
}

async function worker(name: string): Promise<Worker> {
  const { response, error } = await call(servers.gatewayClient.GetWorker.bind(servers.gatewayClient), { workerId: ids[name]! });
  if (error) throw error;
  return (response as GetWorkerResponse).worker!;
}

async function until(name: string, predicate: (w: Worker) => boolean, what: string, timeoutMs = 30_000): Promise<Worker> {
  return waitFor(async () => {
    const w = await worker(name);
    return predicate(w) ? w : undefined;
  }, timeoutMs, `${name}: ${what}`, 200);
}

const flagged = (reason: string) => (w: Worker): boolean => w.trust === 'TRUST_STATE_FLAGGED' && w.flags.some((f) => f.reason === reason);

beforeAll(async () => {
  etcd = await startEtcd();
  servers = await startServers(etcd.endpoint, { leaseTtl: '3s', heartbeatInterval: '500ms', scheduler: { challengeIntervalMs: '3s', challengeDelayMs: '300ms', rttReportIntervalMs: '2s' } });
  stateRoot = await mkdtemp(join(tmpdir(), 'tessera-trust-'));
  token = (await createJoinToken(servers.store, { uses: 100, ttlMs: 3_600_000 })).token;
  flapProxy = await TcpProxy.start(servers.scheduler.address);

  const h100Text = captureSection(fixture('gpu-discovery/nvidia_gpu_exporter/linux-x86_64__nvidia-h100-mig__590.48.01.txt'), 'nvidia-smi -q');
  // No real vGPU capture exists (see test/fixtures/gpu-discovery/SOURCES.md): the fraud case is the real T4
  // report with its virtualization mode changed, exactly what a spoofing vGPU guest would print.
  const vgpuXml = fixture('gpu-discovery/telegraf/tesla-t4.xml').replace('<virtualization_mode>Pass-Through</virtualization_mode>', '<virtualization_mode>VGPU</virtualization_mode>');
  const [h100, dup, vgpu] = await Promise.all([fakeNvidiaSmiFrom({ text: h100Text }), fakeNvidiaSmi('gpu-discovery/telegraf/a10g.xml'), fakeNvidiaSmiFrom({ xml: vgpuXml })]);
  await Promise.all([
    startAgent('honest-1'),
    startAgent('honest-2'),
    startAgent('changes-gpu'),
    startAgent('fake-h100', { smiDir: h100 }),
    startAgent('dup-a', { smiDir: dup }),
    startAgent('dup-b', { smiDir: dup }),
    startAgent('vgpu', { smiDir: vgpu }),
    startAgent('flapper', { scheduler: flapProxy.address }),
    startAdversary('wrong-answer', 'wrong-answer'),
    startAdversary('replay', 'replay'),
  ]);
  // A flaky link: the flapper's connection is cut every 2.5 s.
  flapTimer = setInterval(() => flapProxy.resetAll(), 2_500);
}, 120_000);

afterAll(async () => {
  clearInterval(flapTimer);
  for (const p of Object.values(procs)) if ('kill' in p) p.kill('SIGKILL');
  await stopAll();
  await flapProxy?.close();
  await servers?.stop();
  await etcd?.stop();
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
});

describe('the adversary suite', () => {
  it('flags an H100 claim computed on the CPU as too slow for H100', async () => {
    const w = await until('fake-h100', flagged('too-slow'), 'flagged too slow');
    expect(w.hardware!.gpus[0]!.name).toBe('NVIDIA H100 80GB HBM3');
    expect(w.flags.find((f) => f.reason === 'too-slow')!.detail).toMatch(/^too slow for H100: /);
  });

  it("flags a wrong product, caught by Freivalds' check", async () => {
    const w = await until('wrong-answer', flagged('wrong-answer'), 'flagged wrong answer');
    expect(w.flags.find((f) => f.reason === 'wrong-answer')!.detail).toMatch(/^wrong answer: row \d+ fails Freivalds' check/);
  });

  it('flags an answer replayed from an earlier challenge', async () => {
    const w = await until('replay', flagged('replayed-answer'), 'flagged replayed');
    expect(w.flags.find((f) => f.reason === 'replayed-answer')!.detail).toMatch(/^replayed answer: this product was already given for challenge c-[0-9a-f]{16}$/);
  });

  it('flags both workers reporting the same GPU UUID', async () => {
    for (const name of ['dup-a', 'dup-b']) {
      const w = await until(name, flagged('duplicate-gpu'), 'flagged duplicate');
      const other = name === 'dup-a' ? ids['dup-b'] : ids['dup-a'];
      expect(w.flags.find((f) => f.reason === 'duplicate-gpu')!.detail).toBe(`duplicate GPU: uuid GPU-9a9a6c50-2a47-2f51-a902-b82c3b127e94 is also reported by ${other}`);
    }
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
    // It cannot pass on this machine's CPU, so it ends flagged and never verified again.
    const after = await until('changes-gpu', flagged('too-slow'), 'challenged again and flagged');
    expect(after.flags.find((f) => f.reason === 'too-slow')!.detail).toMatch(/^too slow for RTX 3080/);
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
    expect(flapper.reputation!.score).toBeLessThan(steady.reputation!.score);
    expect(flapper.flags).toEqual([]);
    for (const w of [flapper, steady]) {
      const asOf = Math.round(Number(w.reputation!.asOf!.seconds) * 1000 + w.reputation!.asOf!.nanos / 1e6);
      const cli = await runTessera(['reputation', w.id, '--as-of', String(asOf), '--json', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
      expect(cli.code, cli.stderr).toBe(0);
      expect((JSON.parse(cli.stdout) as { score: number }).score).toBe(w.reputation!.score);
    }
    const explained = await runTessera(['reputation', flapper.id, '--explain', '--etcd', etcd.endpoint, '--etcd-prefix', servers.root]);
    expect(explained.stdout).toMatch(/stability .* connection\(s\) in 24h/);
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
        for (const g of w.hardware.gpus) {
          const row = expected.get(g.name) ?? { claimed: 0, verified: 0, flagged: 0 };
          row.claimed++;
          if (state === 'verified') row.verified++;
          if (state === 'flagged') row.flagged++;
          expected.set(g.name, row);
        }
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
      // Every GPU in this fleet is spoofed or duplicated: none of it is verified supply.
      expect([...expected.values()].every((r) => r.verified === 0)).toBe(true);
    } finally {
      await kv.close();
    }
  });
});

describe('malformed challenge answers', () => {
  it('are refused with a clear reason (wrong sizes, NaN, huge payloads); the scheduler keeps serving', async () => {
    const before = (await scrape(servers.scheduler.metricsUrl)).length;
    expect(before).toBeGreaterThan(0);
    // A raw client speaking for a joined worker answers its challenge with a 5-byte commitment.
    const { response: joined } = await call(servers.agentClient.Join.bind(servers.agentClient), { joinToken: token, name: 'raw', region: 'eu-west', labels: {}, hardware: (await worker('honest-1')).hardware!, agentVersion: 'raw' });
    const response = joined as JoinResponse;
    const metadata = new grpc.Metadata();
    metadata.set('tessera-worker-id', response.workerId);
    metadata.set('authorization', `Bearer ${response.workerSecret}`);
    const stream = servers.agentClient.Connect(metadata);
    stream.on('error', () => undefined);
    stream.write({ hello: { workerId: response.workerId, hardware: (await worker('honest-1')).hardware!, agentVersion: 'raw', region: 'eu-west', labels: {} } });
    stream.write({ challengeCommit: { challengeId: 'c-not-issued', rowsRoot: Buffer.alloc(32) } });
    await new Promise<void>((resolve) => stream.on('data', (m: { msg: string; computeChallenge?: { challengeId: string } }) => {
      if (m.msg === 'computeChallenge') {
        stream.write({ challengeCommit: { challengeId: m.computeChallenge!.challengeId, rowsRoot: Buffer.alloc(5) } });
        resolve();
      }
    }));
    ids.raw = response.workerId;
    const w = await until('raw', flagged('wrong-answer'), 'flagged malformed');
    expect(w.flags.find((f) => f.reason === 'wrong-answer')!.detail).toBe('malformed answer: expected a 32-byte commitment, got 5 bytes');
    stream.end();

    // Another answers with rows that fit its commitment but hold NaN, then sends a 2 MiB message.
    const { response: joined2 } = await call(servers.agentClient.Join.bind(servers.agentClient), { joinToken: token, name: 'raw-nan', region: 'eu-west', labels: {}, hardware: (await worker('honest-1')).hardware!, agentVersion: 'raw' });
    const second = joined2 as JoinResponse;
    const meta2 = new grpc.Metadata();
    meta2.set('tessera-worker-id', second.workerId);
    meta2.set('authorization', `Bearer ${second.workerSecret}`);
    const nanStream = servers.agentClient.Connect(meta2);
    const ended = new Promise<grpc.StatusObject>((resolve) => {
      nanStream.on('error', () => undefined);
      nanStream.on('status', resolve);
    });
    nanStream.write({ hello: { workerId: second.workerId, hardware: (await worker('honest-1')).hardware!, agentVersion: 'raw', region: 'eu-west', labels: {} } });
    let hashes: Buffer[] = [];
    let n = 0;
    nanStream.on('data', (m: { msg: string; computeChallenge?: { challengeId: string; n: number }; revealRows?: { challengeId: string; rows: number[] } }) => {
      if (m.msg === 'computeChallenge') {
        n = m.computeChallenge!.n;
        hashes = Array.from({ length: n }, () => randomBytes(32));
        nanStream.write({ challengeCommit: { challengeId: m.computeChallenge!.challengeId, rowsRoot: rowsRoot(hashes), device: 'raw' } });
      } else if (m.msg === 'revealRows') {
        nanStream.write({ challengeRows: { challengeId: m.revealRows!.challengeId, rows: m.revealRows!.rows.map((index) => ({ index, values: Array.from({ length: n }, () => NaN) })), rowHashes: hashes } });
      }
    });
    ids['raw-nan'] = second.workerId;
    const nan = await until('raw-nan', flagged('wrong-answer'), 'flagged for NaN');
    expect(nan.flags.find((f) => f.reason === 'wrong-answer')!.detail).toMatch(/^wrong answer: row \d+: expected exact integers \(NaN, infinite or fractional value found\)$/);
    nanStream.write({ challengeRows: { challengeId: 'c-huge', rows: [{ index: 0, values: Array.from({ length: 300_000 }, () => 1) }], rowHashes: [] } });
    expect((await ended).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    // Honest workers are still served and still verified.
    expect((await worker('honest-2')).trust).toBe('TRUST_STATE_VERIFIED');
    expect(sampleValue(await scrape(servers.scheduler.metricsUrl), 'tessera_scheduler_agent_streams')).toBeGreaterThan(5);
  });
});
