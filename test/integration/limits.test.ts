/**
 * Limits: what the scheduler keeps of shards' output is bounded whatever an agent does, join
 * tokens can be listed and revoked, secrets can come from files, and malformed ids are refused
 * before any store read. Real etcd, real servers, real agent processes — one of them patched to
 * ignore the output cap the scheduler tells it (test/support/adversary-agent.ts, output-flood).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/gen/tessera/v1/JobEvent.js';
import type { JobSpecWire } from '../../src/gen/tessera/v1/JobSpec.js';
import type { JoinResponse } from '../../src/gen/tessera/v1/JoinResponse.js';
import type { Worker } from '../../src/gen/tessera/v1/Worker.js';
import { hardwareToWire } from '../../src/wire/worker.js';
import { WORKER_ID_METADATA } from '../../src/common/secrets.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { TrustStore } from '../../src/store/trust-store.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { collectEvents, startJobFleet, workJob, type JobFleet } from '../support/jobs.js';
import { runTessera, spawnTessera, waitFor, type LogLine } from '../support/processes.js';
import { call } from '../support/servers.js';
import { CPU_HARDWARE } from '../support/workers.js';
import { sampleValue, scrape } from '../support/metrics.js';

const KiB = 1024;
/** The caps under test, small so a test prints little: 64 KiB per attempt, 160 KiB per job. */
const ATTEMPT_CAP = 64 * KiB;
const JOB_CAP = 160 * KiB;
const figures: Record<string, unknown> = {};
afterAll(() => console.log('limits figures:', JSON.stringify(figures)));

/** printing is a job whose one shard writes `bytes` to stdout in `pieces` writes, `gapMs` apart. */
function printing(name: string, bytes: number, options: { pieces?: number; gapMs?: number; shards?: number; labels?: Record<string, string>; maxAttempts?: number } = {}): JobSpecWire {
  const pieces = options.pieces ?? 1;
  const script = `
const piece = 'x'.repeat(${Math.ceil(bytes / pieces)});
let left = ${pieces};
const next = () => {
  if (left-- === 0) return require('fs').writeFileSync(process.env.TESSERA_RESULT_PATH, '{"ok":true}');
  process.stdout.write(piece);
  setTimeout(next, ${options.gapMs ?? 0});
};
next();`;
  return {
    ...workJob(name, options.shards ?? 1, 0, { maxAttempts: options.maxAttempts ?? 1, labels: options.labels ?? {} }),
    entrypoint: { command: process.execPath, args: ['print.js'], files: [{ path: 'print.js', content: Buffer.from(script) }] },
  };
}

const logsOf = (events: JobEvent[]): NonNullable<JobEvent['log']>[] => events.filter((e) => e.event === 'log').map((e) => e.log!);
const storedBytes = (events: JobEvent[]): number => logsOf(events).reduce((n, l) => n + l.data.length, 0);

/** outputKeys measures a job's stored output in etcd: log events, their data, and the bytes of their keys and values. */
async function outputKeys(fleet: JobFleet, jobId: string): Promise<{ keys: number; dataBytes: number; etcdBytes: number }> {
  const client = new Etcd3({ hosts: fleet.etcd.endpoint });
  try {
    const all = await client.getAll().prefix(`${fleet.servers.root}events/${jobId}/`).strings();
    let keys = 0;
    let dataBytes = 0;
    let etcdBytes = 0;
    for (const [key, value] of Object.entries(all)) {
      const event = JSON.parse(value) as { kind: string; dataBase64?: string };
      if (event.kind !== 'log') continue;
      keys++;
      dataBytes += Buffer.from(event.dataBase64 ?? '', 'base64').length;
      etcdBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    return { keys, dataBytes, etcdBytes };
  } finally {
    client.close();
  }
}

describe('output caps, an honest agent and a flooding one', () => {
  let fleet: JobFleet;
  let adversary: { child: ChildProcess; lines: LogLine[]; workerId: string } | undefined;

  beforeAll(async () => {
    // The rate is out of the way here (a second fleet below tests it).
    fleet = await startJobFleet(1, {
      agentArgs: ['--labels', 'role=honest'],
      scheduler: { maxAttemptOutputBytes: ATTEMPT_CAP, maxJobOutputBytes: JOB_CAP, outputRateBytesPerSec: 64 * 1024 * 1024, outputBurstBytes: 64 * 1024 * 1024 },
    });
  }, 90_000);
  afterAll(async () => {
    adversary?.child.kill('SIGKILL');
    await fleet?.stop();
  });

  it('truncates an honest shard printing past the cap at the cap it was told, with one marker, and its record says so', async () => {
    // The agent's own cap is 1 MiB (its default): it cuts at 64 KiB because AssignShard said so.
    const { jobId } = await fleet.calls.submit(printing('chatty', 300 * KiB, { labels: { role: 'honest' } }));
    const events = await collectEvents(fleet, jobId);
    const logs = logsOf(events);
    expect(storedBytes(events)).toBe(ATTEMPT_CAP);
    const markers = logs.filter((l) => l.truncated);
    expect(markers).toHaveLength(1);
    expect(logs.at(-1)).toBe(markers[0]);
    expect(markers[0]!.note).toMatch(/cut by the worker at its cap, after 64 KiB/);
    const { job } = await fleet.calls.get(jobId);
    expect(job!.shards[0]).toMatchObject({ state: 'SHARD_STATE_SUCCEEDED', outputTruncated: true, outputBytes: ATTEMPT_CAP });
  });

  it("stops storing a job's output at the per-job cap, marking each attempt it cut", async () => {
    // Four shards of 60 KiB each (under the attempt cap): 240 KiB printed, 160 KiB kept.
    const { jobId } = await fleet.calls.submit(printing('many', 60 * KiB, { shards: 4, labels: { role: 'honest' } }));
    const events = await collectEvents(fleet, jobId);
    expect(storedBytes(events)).toBe(JOB_CAP);
    const cut = logsOf(events).filter((l) => l.truncated);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    expect(cut.length).toBeLessThanOrEqual(3);
    expect(new Set(cut.map((l) => l.index)).size).toBe(cut.length);
    for (const marker of cut) expect(marker.note).toMatch(/the job's output cap of 160 KiB is reached/);
    const { job } = await fleet.calls.get(jobId);
    expect(job!.state).toBe('JOB_STATE_SUCCEEDED');
    expect(job!.shards.filter((s) => s.outputTruncated).map((s) => s.index).sort()).toEqual(cut.map((l) => l.index).sort());
  });

  it('cuts off an agent that ignores its cap: the stream ends RESOURCE_EXHAUSTED, the worker is flagged and charged a lost shard, and etcd keeps only the cap', async () => {
    const { token } = await createJoinToken(fleet.servers.store, { uses: 1, ttlMs: 600_000 });
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/adversary-agent.ts'), 'output-flood', '--scheduler', fleet.servers.scheduler.address, '--join-token', token, '--state-dir', join(fleet.stateRoot, 'flooder'), '--name', 'flooder', '--labels', 'role=flooder', '--sandbox-uid-base', '230000', ...fleet.servers.agentArgs], {
      env: { ...process.env, TESSERA_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: LogLine[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    });
    const connected = await waitFor(() => lines.find((l) => l.msg === 'connected to scheduler'), 30_000, 'the flooder connected');
    adversary = { child, lines, workerId: String(connected.workerId) };
    const workerId = adversary.workerId;

    const printed = 8 * 1024 * KiB;
    const { jobId } = await fleet.calls.submit(printing('flood', printed, { pieces: 128, labels: { role: 'flooder' } }));
    const before = await outputKeys(fleet, jobId);
    const events = await collectEvents(fleet, jobId);
    const after = await outputKeys(fleet, jobId);

    // Cut off: the agent saw its stream end with RESOURCE_EXHAUSTED and the reason.
    const cutOff = await waitFor(() => lines.find((l) => typeof l.reason === 'string' && /RESOURCE_EXHAUSTED: output past the cap/.test(l.reason)), 10_000, 'the flooder cut off');
    expect(String(cutOff.reason)).toMatch(/past the cap of 65536 bytes it was told; the worker is flagged output-flood/);
    // The attempt ended as lost (maxAttempts 1: the job fails, saying why).
    const result = events.find((e) => e.event === 'shardResult')!.shardResult!;
    expect(result.state).toBe('SHARD_STATE_FAILED');
    expect(result.error).toMatch(new RegExp(`worker ${workerId} cut off: it sent \\d+ bytes of output for ${jobId} shard 0 attempt 1, past the cap of 65536 bytes`));
    // Stored: exactly the cap, then one marker saying why; nothing after.
    const logs = logsOf(events);
    expect(storedBytes(events)).toBe(ATTEMPT_CAP);
    expect(logs.filter((l) => l.truncated)).toHaveLength(1);
    expect(logs.at(-1)!).toMatchObject({ truncated: true, note: 'output cap of 64 KiB per attempt reached: later output dropped' });
    expect(after.dataBytes).toBe(ATTEMPT_CAP);
    // Penalised: a sticky output-flood flag, and a lost shard in its reputation log.
    const gw = fleet.servers.gatewayClient;
    const flagged = await waitFor(async () => {
      const { response } = await call(gw.GetWorker.bind(gw), { workerId });
      const worker = (response as { worker: Worker } | undefined)?.worker;
      return worker?.flags.some((f) => f.reason === 'output-flood') ? worker : undefined;
    }, 10_000, 'the flooder flagged');
    expect(flagged.trust).toBe('TRUST_STATE_FLAGGED');
    expect(flagged.flags.find((f) => f.reason === 'output-flood')!.detail).toBe(`output flood: sent output for ${jobId} shard 0 attempt 1 past the cap of 65536 bytes it was told`);
    const kv = new EtcdKv([fleet.etcd.endpoint]);
    try {
      const reputation = await waitFor(async () => {
        const events = await new TrustStore(kv, fleet.servers.root).events(workerId);
        return events.some((e) => e.kind === 'shard' && e.outcome === 'lost') ? events : undefined;
      }, 10_000, 'a lost shard in the flooder’s reputation log');
      expect(reputation.filter((e) => e.kind === 'shard' && e.outcome === 'lost')).toHaveLength(1);
    } finally {
      await kv.close();
    }
    const metrics = await scrape(fleet.servers.scheduler.metricsUrl);
    expect(sampleValue(metrics, 'tessera_scheduler_output_floods_total')).toBeGreaterThanOrEqual(1);
    const received = fleet.servers.scheduler.controller.output.receivedBytes({ jobId, index: 0, attempt: 1 });
    expect(received).toBeGreaterThan(ATTEMPT_CAP + 64 * KiB);
    figures.flood = {
      printedBytes: printed,
      receivedBeforeCutOffBytes: received,
      storedDataBytes: after.dataBytes,
      outputKeysBefore: before.keys,
      outputKeysAfter: after.keys,
      outputEtcdBytesBefore: before.etcdBytes,
      outputEtcdBytesAfter: after.etcdBytes,
      droppedBytesCounted: sampleValue(metrics, 'tessera_scheduler_output_bytes_total', { outcome: 'dropped_attempt_cap' }),
    };
    // Keys and values of the job's output in etcd: the cap in base64 plus JSON and keys, nothing of the other 8 MiB.
    expect(after.etcdBytes).toBeLessThan(ATTEMPT_CAP * 1.5);
  });

  it('keeps serving the honest agent after cutting the flooder off', async () => {
    const { jobId } = await fleet.calls.submit(printing('after-flood', 10 * KiB, { labels: { role: 'honest' } }));
    const events = await collectEvents(fleet, jobId);
    expect(events.at(-1)!.summary).toMatchObject({ state: 'JOB_STATE_SUCCEEDED', succeeded: 1 });
    expect(storedBytes(events)).toBe(10 * KiB);
  });
});

describe('the output rate per attempt', () => {
  let fleet: JobFleet;
  beforeAll(async () => {
    fleet = await startJobFleet(1, { scheduler: { outputRateBytesPerSec: 16 * KiB, outputBurstBytes: 32 * KiB } });
  }, 90_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('drops what an attempt prints faster than the rate, with a marker per run of drops, never queuing it', async () => {
    // 16 KiB every 100 ms for 2 s: 320 KiB at 160 KiB/s against 16 KiB/s and a 32 KiB burst.
    const printed = 320 * KiB;
    const started = Date.now();
    const { jobId } = await fleet.calls.submit(printing('fast', printed, { pieces: 20, gapMs: 100 }));
    const events = await collectEvents(fleet, jobId);
    const seconds = (Date.now() - started) / 1000;
    const logs = logsOf(events);
    const stored = storedBytes(events);
    const markers = logs.filter((l) => /rate limit of 16 KiB\/s \(burst 32 KiB\)/.test(l.note));
    expect(markers.length).toBeGreaterThanOrEqual(1);
    // A marker opens each run of drops, and a run starts only after a stored chunk.
    expect(markers.length).toBeLessThanOrEqual(logs.length - markers.length);
    expect(markers.every((m) => m.data.length === 0 && !m.truncated)).toBe(true);
    // At most the burst, the rate over the whole job, and the one chunk that may overdraw.
    expect(stored).toBeLessThanOrEqual(32 * KiB + 16 * KiB * seconds + 16 * KiB);
    expect(stored).toBeLessThan(printed / 2);
    const { job } = await fleet.calls.get(jobId);
    expect(job!.shards[0]).toMatchObject({ state: 'SHARD_STATE_SUCCEEDED', outputTruncated: true });
    figures.rate = { printedBytes: printed, storedBytes: stored, seconds: Math.round(seconds * 10) / 10, markers: markers.length };
  });
});

describe('join tokens, secrets from files, and malformed ids', () => {
  let fleet: JobFleet;
  beforeAll(async () => {
    fleet = await startJobFleet(0);
  }, 90_000);
  afterAll(async () => {
    await fleet?.stop();
  });
  const store = (): string[] => ['--etcd', fleet.etcd.endpoint, '--etcd-prefix', fleet.servers.root];
  const joinWith = (token: string): Promise<{ error: grpc.ServiceError | null; response: JoinResponse | undefined }> =>
    call(fleet.servers.agentClient.Join.bind(fleet.servers.agentClient), { joinToken: token, name: 'joiner', region: 'eu-west', labels: {}, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0' });

  it('lists tokens by id and refuses a revoked one at the next Join', async () => {
    const created = await runTessera(['join-token', 'create', '--uses', '5', '--description', 'rack 7', ...store()]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect((await joinWith(token)).error).toBeNull();
    const listed = await runTessera(['join-token', 'list', '--json', ...store()]);
    const tokens = JSON.parse(listed.stdout) as Array<{ id: string; description: string; usesLeft: number; expired: boolean }>;
    const mine = tokens.find((t) => t.description === 'rack 7')!;
    expect(mine).toMatchObject({ usesLeft: 4, expired: false });
    expect(mine.id).toMatch(/^[0-9a-f]{12}$/);
    const table = await runTessera(['join-token', 'list', ...store()]);
    expect(table.stdout).toMatch(new RegExp(`^${mine.id}\\s+rack 7\\s+4\\s+`, 'm'));

    const revoked = await runTessera(['join-token', 'revoke', mine.id, ...store()]);
    expect(revoked.stdout).toContain(`revoked join token ${mine.id} (rack 7); it had 4 use(s) left`);
    const at = Date.now();
    const refused = await joinWith(token);
    figures.revokedTokenRefusedAfterMs = Date.now() - at;
    expect(refused.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await runTessera(['join-token', 'list', '--json', ...store()])).stdout).not.toContain(mine.id);
    const again = await runTessera(['join-token', 'revoke', token, ...store()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no such join token');
  });

  it('takes the join token and the API key from files (kept out of argv)', async () => {
    const { token } = await createJoinToken(fleet.servers.store, { uses: 1, ttlMs: 600_000 });
    const tokenFile = join(fleet.stateRoot, 'join-token');
    const keyFile = join(fleet.stateRoot, 'api-key');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    await writeFile(keyFile, `${fleet.apiKey}\n`);
    await chmod(keyFile, 0o600);
    const agent = spawnTessera(['agent', '--scheduler', fleet.servers.scheduler.address, '--join-token-file', tokenFile, '--state-dir', join(fleet.stateRoot, 'from-file'), '--name', 'from-file', '--metrics-listen', '127.0.0.1:0', '--sandbox-uid-base', '240000', ...fleet.servers.agentArgs]);
    try {
      await agent.waitForLog((l) => l.msg === 'connected to scheduler', 30_000);
      expect(agent.child.spawnargs.join(' ')).not.toContain(token);
    } finally {
      await agent.stop('SIGKILL');
    }
    const jobs = await runTessera(['jobs', '--gateway', fleet.servers.gateway.address, '--api-key-file', keyFile], { TESSERA_API_KEY: '' });
    expect(jobs.stderr).toBe('');
    expect(jobs.code).toBe(0);
    const both = await runTessera(['jobs', '--gateway', fleet.servers.gateway.address, '--api-key-file', keyFile, '--api-key', fleet.apiKey]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('invalid setting --api-key / --api-key-file: expected one of them, not both');
  });

  it('refuses malformed ids with INVALID_ARGUMENT naming the field, before any store read (even the API key)', async () => {
    const gw = fleet.servers.gatewayClient;
    const noKey = new grpc.Metadata();
    const cases: Array<[string, () => Promise<{ error: grpc.ServiceError | null }>, string]> = [
      ['GetJob', () => call(gw.GetJob.bind(gw), { jobId: 'j-NOTHEX' }, noKey), 'job_id'],
      ['CancelJob', () => call(gw.CancelJob.bind(gw), { jobId: '../../jobs/x' }, noKey), 'job_id'],
      ['ExplainPlacement', () => call(gw.ExplainPlacement.bind(gw), { jobId: 'j-0123' }, noKey), 'job_id'],
      ['GetWorker', () => call(gw.GetWorker.bind(gw), { workerId: 'w-xyz' }, noKey), 'worker_id'],
      [
        'StreamJobEvents',
        () =>
          new Promise((resolve) => {
            const stream = gw.StreamJobEvents({ jobId: 'job-1', afterSequence: 0 }, noKey);
            stream.on('data', () => undefined);
            stream.on('error', (error: grpc.ServiceError) => resolve({ error }));
          }),
        'job_id',
      ],
      [
        'Connect',
        () =>
          new Promise((resolve) => {
            const metadata = new grpc.Metadata();
            metadata.set(WORKER_ID_METADATA, 'w-../../credentials');
            metadata.set('authorization', 'Bearer tsw_anything');
            const stream = fleet.servers.agentClient.Connect(metadata);
            stream.on('data', () => undefined);
            stream.on('error', (error: grpc.ServiceError) => resolve({ error }));
            stream.write({ hello: { workerId: 'w-../../credentials' } });
          }),
        WORKER_ID_METADATA,
      ],
    ];
    const reads = async (): Promise<number> => sampleValue(await scrape(`${fleet.etcd.endpoint}/metrics`), 'etcd_mvcc_range_total') ?? Number.NaN;
    const readsBefore = await reads();
    const rounds = 20;
    for (let i = 0; i < rounds; i++) {
      for (const [rpc, invoke, field] of cases) {
        const { error } = await invoke();
        expect(error?.code, rpc).toBe(grpc.status.INVALID_ARGUMENT);
        expect(error?.details, rpc).toMatch(new RegExp(`^${field}: expected a (job|worker) id such as`));
        expect(error?.metadata.get('tessera-field-path')[0], rpc).toBe(field);
      }
    }
    // 120 refused calls; had each looked anything up, etcd would count 120 reads or more. What
    // it counts is the servers' own background reads meanwhile.
    const readsDuring = (await reads()) - readsBefore;
    figures.etcdReadsDuring120MalformedCalls = readsDuring;
    expect(readsDuring).toBeLessThan((rounds * cases.length) / 4);
  });

  it("runs the test etcd with tessera dev's limits: a backend quota (and compaction and lease checkpoints, by flag)", async () => {
    expect(sampleValue(await scrape(`${fleet.etcd.endpoint}/metrics`), 'etcd_server_quota_backend_bytes')).toBe(1024 ** 3);
    expect(fleet.etcd.process.spawnargs).toEqual(expect.arrayContaining(['--auto-compaction-mode', 'periodic', '--auto-compaction-retention', '1h', '--experimental-enable-lease-checkpoint=true']));
  });
});
