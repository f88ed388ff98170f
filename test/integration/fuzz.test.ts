/**
 * Fuzzing (issue 9, item 8): generated requests to every GatewayService RPC, to Join, and on the
 * Connect stream, plus generated job files. Nothing crashes; every refusal is a clean status
 * (never INTERNAL or UNKNOWN); every INVALID_ARGUMENT names the field; afterwards the servers
 * still serve honest calls. FUZZ_SEED=<n> replays a run (the seed is printed at the start).
 */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectResponse } from '../../src/gen/tessera/v1/ConnectResponse.js';
import type { JoinResponse } from '../../src/gen/tessera/v1/JoinResponse.js';
import { jobCalls, withApiKey } from '../../src/cli/gateway-client.js';
import { readJobFile } from '../../src/cli/job-file.js';
import { InvalidArgument } from '../../src/common/errors.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../../src/common/grpc.js';
import { createCsr } from '../../src/common/pki.js';
import { clientCredentials } from '../../src/common/tls.js';
import { WORKER_ID_METADATA } from '../../src/common/secrets.js';
import { hardwareToWire } from '../../src/wire/worker.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { connectSession, gatewayCall, hostileString, jobFileText, joinRequest, LIVE, resolveLive, type ConnectSession, type GatewayCall, type Generated } from '../support/fuzz-arbitraries.js';
import { workJob } from '../support/jobs.js';
import { waitFor } from '../support/processes.js';
import { call, startServers, type Servers } from '../support/servers.js';
import { CPU_HARDWARE } from '../support/workers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
/** FUZZ_SCALE shrinks or grows every count (0.1 for a quick look while debugging). */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Calls in flight at once: enough to keep both servers busy on two cores. */
const IN_FLIGHT = 24;
const GATEWAY_CALLS = Math.ceil(8000 * SCALE);
const JOINS = Math.ceil(2000 * SCALE);
/** One Connect stream per lane at a time, each lane its own worker, so streams do not replace each other. */
const LANES = 4;
const CONNECT_STREAMS = Math.ceil(500 * SCALE);
const JOB_FILES = Math.ceil(1000 * SCALE);
const FILE_LANES = 4;

/** CLEAN: the statuses a refusal may carry. INTERNAL, UNKNOWN and the rest mean a bug. */
const CLEAN = new Set([
  grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND, grpc.status.UNAUTHENTICATED, grpc.status.PERMISSION_DENIED,
  grpc.status.FAILED_PRECONDITION, grpc.status.RESOURCE_EXHAUSTED, grpc.status.ALREADY_EXISTS,
]);

/** ROOTS: the fields an INVALID_ARGUMENT may name first, per RPC ("request" for bytes that are no message). */
const ROOTS: Record<string, string[]> = {
  SubmitJob: ['spec'], ListWorkers: ['region', 'gpu_model'], GetWorker: ['worker_id'], WatchWorkers: [], GetJob: ['job_id'], ListJobs: ['limit'],
  CancelJob: ['job_id'], StreamJobEvents: ['job_id'], ExplainPlacement: ['job_id'], GetFleetSummary: [], GetUsage: ['since', 'until'],
  Join: ['join_token', 'name', 'region', 'labels', 'hardware', 'agentVersion', 'agent_version', 'isolation'],
  // Connect's credentials travel in metadata: a malformed worker id is named by its header.
  Connect: ['msg', 'hello', 'shard_update', 'tessera-worker-id'],
  RenewCertificate: ['csr_pem', 'tessera-worker-id'],
};
/** SPEC_FIELDS: JobSpec's proto field names under spec., so a refusal names the field the caller sent. */
const SPEC_FIELDS: Record<string, string[]> = {
  '': ['name', 'entrypoint', 'resources', 'timeout_seconds', 'max_attempts', 'priority', 'regions', 'labels', 'gang', 'independent', 'require_verified', 'min_reputation', 'min_uptime_30d', 'allow_unsandboxed', 'partition (gang or independent)'],
  entrypoint: ['command', 'args', 'env', 'working_dir', 'files'],
  files: ['path', 'content', 'mode'],
  resources: ['gpu_count', 'gpu_models', 'min_gpu_memory_mib', 'cpu_cores', 'memory_mib'],
  gang: ['world_size'],
  independent: ['shard_count', 'inputs'],
};

/** namesField says what is wrong with an INVALID_ARGUMENT's details, or undefined when it names a field of `rpc`. */
function namesField(rpc: string, details: string): string | undefined {
  if (/^(request|\(request\)|\(message\)): \S/.test(details)) return undefined;
  const root = /^([A-Za-z_-]+)[.[:]/.exec(details)?.[1];
  if (!root || !ROOTS[rpc]!.includes(root) || !details.includes(': ')) return `does not start with a field of ${rpc}`;
  if (rpc !== 'SubmitJob' || details.startsWith('spec: ')) return undefined;
  // spec.<field>[.<field>…]: every segment outside a map (env, labels) is a proto field name.
  let parent = '';
  for (const segment of details.slice('spec.'.length).split('.')) {
    const name = segment.replace(/\[\d+\](:.*)?$/, '').replace(/: .*$/, '');
    if (!SPEC_FIELDS[parent]?.includes(name)) return `"${name}" is not a JobSpec field under "${parent || 'spec'}"`;
    if (!(name in SPEC_FIELDS) || segment.includes(': ')) return undefined;
    parent = name;
  }
  return undefined;
}

/** Outcome is how one call or stream ended, as the client saw it. */
interface Outcome {
  code: grpc.status;
  details: string;
  cancelledByUs?: boolean;
}

/** problemWith returns why an outcome breaks the rules, or undefined when it is clean. */
function problemWith(rpc: string, outcome: Outcome): string | undefined {
  const { code, details } = outcome;
  if (code === grpc.status.OK || (code === grpc.status.CANCELLED && outcome.cancelledByUs)) return undefined;
  // A Connect stream is ABORTED when the same worker connects again (a generated session may claim another lane's worker).
  if (rpc === 'Connect' && code === grpc.status.ABORTED && /replaced by a newer connection/.test(details)) return undefined;
  if (!CLEAN.has(code)) return `${rpc}: ${grpc.status[code]} "${details}"`;
  if (!details.trim()) return `${rpc}: ${grpc.status[code]} without details`;
  if (code !== grpc.status.INVALID_ARGUMENT) return undefined;
  const why = namesField(rpc, details);
  return why && `${rpc}: INVALID_ARGUMENT "${details.slice(0, 200)}" ${why}`;
}

const { proto } = loadTesseraProto();
type Method = grpc.MethodDefinition<unknown, unknown>;
const GATEWAY = proto.GatewayService.service as unknown as Record<GatewayCall['rpc'], Method>;
const AGENT = proto.AgentService.service as unknown as Record<'Join' | 'Connect' | 'RenewCertificate', Method>;
const RENEWALS = Math.ceil(300 * SCALE);
const identity = (b: Buffer): Buffer => b;

/** encode turns a generated request into the bytes sent: structured values go through the real serializer. */
function encode(method: Method, request: Generated, lookup: (placeholder: string) => unknown): Buffer {
  if (request.kind === 'bytes') return Buffer.from(request.value);
  const value = resolveLive(request.value, lookup);
  let bytes: Buffer;
  try {
    bytes = Buffer.from(method.requestSerialize(value));
  } catch {
    // A random object the client cannot encode: send its JSON instead, which is no protobuf message.
    bytes = Buffer.from(JSON.stringify(value) ?? 'x');
  }
  if (request.kind === 'mutated' && bytes.length > 0) {
    for (const [at, byte] of request.edits) bytes[at % bytes.length] = byte;
    if (request.cut % 3 === 0) bytes = bytes.subarray(0, request.cut % (bytes.length + 1));
  }
  return bytes;
}

let etcd: EtcdServer;
let servers: Servers;
let apiKey: string;
let foreignApiKey: string;
let joinToken: string;
const knownJobs: string[] = [];
let foreignJob: string;
const lanes: JoinResponse[] = [];
const counts = { gateway: 0, join: 0, connectStreams: 0, connectMessages: 0, jobFiles: 0, jobFileSubmits: 0 };
const startedAt = Date.now();

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  etcd = await startEtcd();
  servers = await startServers(etcd.endpoint, { scheduler: { challengeDelayMs: '20ms' } });
  ({ apiKey } = await servers.jobs.createTenant('fuzz'));
  ({ apiKey: foreignApiKey } = await servers.jobs.createTenant('someone-else'));
  joinToken = (await createJoinToken(servers.store, { uses: 30, ttlMs: 3_600_000 })).token;
  const laneToken = (await createJoinToken(servers.store, { uses: LANES, ttlMs: 60_000 })).token;
  for (let i = 0; i < LANES; i++) {
    const joined = await call<object, JoinResponse>(servers.agentClient.Join.bind(servers.agentClient), { joinToken: laneToken, name: `lane-${i}`, region: 'eu-west', labels: { tier: 'a' }, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0' });
    lanes.push(joined.response as JoinResponse);
  }
  const calls = jobCalls(servers.gatewayClient, apiKey);
  knownJobs.push((await calls.submit(workJob('known-independent', 2, 0))).jobId);
  knownJobs.push((await calls.submit({ ...workJob('known-gang', 1, 0), independent: undefined, gang: { worldSize: 2 } })).jobId);
  const cancelled = (await calls.submit(workJob('known-cancelled', 1, 0))).jobId;
  await calls.cancel(cancelled);
  knownJobs.push(cancelled);
  foreignJob = (await jobCalls(servers.gatewayClient, foreignApiKey).submit(workJob('theirs', 1, 0))).jobId;
}, 60_000);

afterAll(async () => {
  await servers?.stop();
  await etcd?.stop();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const rpcs = counts.gateway + counts.join + counts.connectMessages + counts.jobFileSubmits;
  console.log(
    `fuzz: ${rpcs} generated requests (GatewayService ${counts.gateway}, Join ${counts.join}, Connect ${counts.connectMessages} messages on ${counts.connectStreams} streams, ` +
      `SubmitJob of parsed job files ${counts.jobFileSubmits}) and ${counts.jobFiles} job files in ${seconds} s, seed ${SEED}`,
  );
});

/** gatewayLookup resolves LIVE placeholders for gateway and Join calls ("<placeholder>#<n>" picks the n-th, round). */
function gatewayLookup(placeholder: string): unknown {
  const [kind, n] = placeholder.split('#');
  const index = Number(n ?? 0);
  switch (kind) {
    case LIVE.job:
      return knownJobs[index % knownJobs.length];
    case LIVE.foreignJob:
      return foreignJob;
    case LIVE.worker:
      return lanes[index % lanes.length]!.workerId;
    case LIVE.joinToken:
      return joinToken;
    default:
      return placeholder;
  }
}

function authMetadata(key: string | undefined): grpc.Metadata {
  if (key === LIVE.apiKey) return withApiKey(apiKey);
  if (key === LIVE.foreignApiKey) return withApiKey(foreignApiKey);
  const metadata = new grpc.Metadata();
  if (key !== undefined) metadata.set('authorization', key);
  return metadata;
}

/** sendUnary makes one unary call with pre-encoded bytes through the harness's client. */
function sendUnary(client: grpc.Client, method: Method, bytes: Buffer, metadata: grpc.Metadata): Promise<Outcome> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(method.path, identity, method.responseDeserialize, bytes, metadata, { deadline: Date.now() + 30_000 }, (err) =>
      resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' }),
    );
  });
}

/** sendServerStream opens a server stream, reads until the first message or a short wait, then cancels. */
function sendServerStream(client: grpc.Client, method: Method, bytes: Buffer, metadata: grpc.Metadata): Promise<Outcome> {
  return new Promise((resolve) => {
    const stream = client.makeServerStreamRequest(method.path, identity, method.responseDeserialize, bytes, metadata, { deadline: Date.now() + 30_000 });
    let cancelledByUs = false;
    const cancel = (): void => {
      cancelledByUs = true;
      stream.cancel();
    };
    const timer = setTimeout(cancel, 100);
    stream.on('data', cancel);
    stream.on('error', () => undefined);
    stream.on('status', (status: grpc.StatusObject) => {
      clearTimeout(timer);
      resolve({ code: status.code, details: status.details, cancelledByUs });
    });
  });
}

async function runGatewayCall(generatedCall: GatewayCall): Promise<string | undefined> {
  const method = GATEWAY[generatedCall.rpc];
  const bytes = encode(method, generatedCall.request, gatewayLookup);
  const metadata = authMetadata(generatedCall.apiKey);
  counts.gateway++;
  const client = servers.gatewayClient;
  const outcome = method.responseStream ? await sendServerStream(client, method, bytes, metadata) : await sendUnary(client, method, bytes, metadata);
  return problemWith(generatedCall.rpc, outcome);
}

async function runJoin(request: Generated): Promise<string | undefined> {
  counts.join++;
  const outcome = await sendUnary(servers.agentClient, AGENT.Join, encode(AGENT.Join, request, gatewayLookup), new grpc.Metadata());
  return problemWith('Join', outcome);
}

/**
 * inLanes checks a property in `lanes` parallel runs of fast-check, lane i seeded SEED + i, so
 * `lanes` requests are in flight at all times and a failure names the seed and path that replay it.
 * After a failure the other lanes stop sending, so the report is about that one request.
 */
async function inLanes<T>(arbitrary: fc.Arbitrary<T>, runs: number, lanes: number, run: (value: T, lane: number) => Promise<string | undefined>): Promise<void> {
  let failed = false;
  await Promise.all(
    Array.from({ length: lanes }, (_, lane) =>
      fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          if (failed) return;
          const problem = await run(value, lane);
          if (problem !== undefined) failed = true;
          expect(problem).toBeUndefined();
        }),
        { seed: SEED + lane, numRuns: Math.ceil(runs / lanes) },
      ),
    ),
  );
}

describe('fuzzing GatewayService and AgentService', () => {
  it('generates calls for every GatewayService RPC', () => {
    const generatedRpcs = new Set(fc.sample(gatewayCall, { seed: SEED, numRuns: 2000 }).map((c) => c.rpc));
    expect([...generatedRpcs].sort()).toEqual(Object.keys(GATEWAY).sort());
    expect(Object.keys(ROOTS).sort()).toEqual([...Object.keys(GATEWAY), ...Object.keys(AGENT)].sort());
  });

  it('answers every generated GatewayService call with OK or a clean status naming the field', async () => {
    await inLanes(gatewayCall, GATEWAY_CALLS, IN_FLIGHT, runGatewayCall);
  });

  it('answers every generated Join with OK or a clean status naming the field', async () => {
    await inLanes(joinRequest, JOINS, IN_FLIGHT, runJoin);
  });

  it('answers every generated RenewCertificate over TLS with a certificate or a clean status naming csr_pem', async () => {
    // Renewal only does anything over TLS: a worker of a TLS scheduler asks with its own certificate.
    const tlsServers = await startServers(etcd.endpoint, { tls: true });
    try {
      const token = (await createJoinToken(tlsServers.store, { uses: 1, ttlMs: 60_000 })).token;
      const csr = await createCsr('fuzz');
      const joined = (await call<object, JoinResponse>(tlsServers.agentClient.Join.bind(tlsServers.agentClient), { joinToken: token, name: 'renewer', region: 'eu-west', labels: {}, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', csrPem: csr.csrPem })).response!;
      const client = new proto.AgentService(tlsServers.scheduler.address, clientCredentials(tlsServers.tls!.caPem, { keyPem: csr.keyPem, certPem: joined.clientCertPem }), CLIENT_OPTIONS);
      const metadata = new grpc.Metadata();
      metadata.set(WORKER_ID_METADATA, joined.workerId);
      metadata.set('authorization', `Bearer ${joined.workerSecret}`);
      const valid = csr.csrPem;
      const body = valid.replace(/-----[^-]+-----/g, '').replace(/\s/g, '');
      const csrText = fc.oneof(
        hostileString,
        fc.integer({ min: 1, max: body.length - 1 }).map((n) => `-----BEGIN CERTIFICATE REQUEST-----\n${body.slice(0, n)}\n-----END CERTIFICATE REQUEST-----\n`),
        fc.uint8Array({ minLength: 0, maxLength: 600 }).map((b) => `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(b).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`),
        fc.nat({ max: body.length - 1 }).map((i) => valid.replace(body, body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1))),
        fc.constant(valid),
      );
      let issued = 0;
      await inLanes(csrText, RENEWALS, IN_FLIGHT, async (csrPem) => {
        const outcome = await sendUnary(client, AGENT.RenewCertificate, AGENT.RenewCertificate.requestSerialize({ csrPem }), metadata);
        if (outcome.code === grpc.status.OK) issued++;
        return problemWith('RenewCertificate', outcome);
      });
      expect(issued).toBeGreaterThan(0);
      client.close();
    } finally {
      await tlsServers.stop();
    }
  });

  it('ends every generated Connect stream with a clean status, or keeps it going', async () => {
    await inLanes(connectSession, CONNECT_STREAMS, LANES, runSession);
  });

  it('parses 1,000 generated job files into a spec the gateway judges, or refuses them naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-fuzz-'));
    await writeFile(join(dir, 'shard.js'), 'console.log(1)');
    try {
      await inLanes(jobFileText, JOB_FILES, FILE_LANES, (text, lane) => checkJobFile(text, join(dir, `job-${lane}.yaml`)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('still serves honest calls afterwards: workers, a known-good job, a join and an agent', async () => {
    const gw = servers.gatewayClient;
    expect((await call(gw.ListWorkers.bind(gw), {})).error).toBeNull();
    expect((await call(gw.GetFleetSummary.bind(gw), {})).error).toBeNull();
    const calls = jobCalls(gw, apiKey);
    const { jobId, shardCount } = await calls.submit(workJob('after-fuzz', 2, 0));
    expect(shardCount).toBe(2);
    expect((await calls.get(jobId)).job?.id).toBe(jobId);
    const token = (await createJoinToken(servers.store, { uses: 1, ttlMs: 60_000 })).token;
    const joined = await call<object, JoinResponse>(servers.agentClient.Join.bind(servers.agentClient), { joinToken: token, name: 'after', region: 'eu-west', labels: {}, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0' });
    expect(joined.error).toBeNull();
    const metadata = new grpc.Metadata();
    metadata.set(WORKER_ID_METADATA, joined.response!.workerId);
    metadata.set('authorization', `Bearer ${joined.response!.workerSecret}`);
    const stream = servers.agentClient.Connect(metadata);
    const messages: ConnectResponse[] = [];
    stream.on('data', (m: ConnectResponse) => messages.push(m));
    stream.on('error', () => undefined);
    stream.write({ hello: { workerId: joined.response!.workerId, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', region: 'eu-west', labels: {} } });
    await waitFor(() => (messages.some((m) => m.msg === 'welcome') ? true : undefined), 5_000, 'welcome');
    stream.write({ heartbeat: { sequence: 1, sentUnixMs: Date.now() } });
    await waitFor(() => (messages.some((m) => m.heartbeatAck?.sequence === 1) ? true : undefined), 5_000, 'heartbeat ack');
    stream.write({ goodbye: { reason: 'done' } });
    stream.end();
  });
});

/** JOB_FILE_KEYS: the keys a job file may have; a refusal names one of them first. */
const JOB_FILE_KEYS = ['name', 'entrypoint', 'command', 'args', 'env', 'workingDir', 'files', 'resources', 'timeout', 'maxAttempts', 'priority', 'regions', 'labels', 'requireVerified', 'minReputation', 'minUptime30d', 'allowUnsandboxed', 'independent', 'gang'];

/** checkJobFile writes a generated job file, reads it with the CLI's parser, and submits what it returns. */
async function checkJobFile(text: string, path: string): Promise<string | undefined> {
  counts.jobFiles++;
  await writeFile(path, text);
  const parsed = await readJobFile(path).then(
    (spec) => ({ spec }),
    (error: unknown) => ({ error }),
  );
  if ('error' in parsed) {
    if (!(parsed.error instanceof InvalidArgument)) return `job file: not an InvalidArgument: ${(parsed.error as Error).stack}`;
    const { fieldPath, message } = parsed.error;
    const root = /^[A-Za-z0-9]+/.exec(fieldPath)?.[0] ?? '';
    return fieldPath === path || JOB_FILE_KEYS.includes(root) ? undefined : `job file: "${message}" names no key of a job file`;
  }
  // What the parser returns must encode, and the gateway must judge it cleanly.
  let bytes: Buffer;
  try {
    bytes = Buffer.from(GATEWAY.SubmitJob.requestSerialize({ spec: parsed.spec }));
  } catch (err) {
    return `job file: the parsed spec does not encode: ${(err as Error).message}`;
  }
  counts.jobFileSubmits++;
  return problemWith('SubmitJob', await sendUnary(servers.gatewayClient, GATEWAY.SubmitJob, bytes, withApiKey(apiKey)));
}

/** runSession plays one generated Connect stream on a lane's worker and checks how it ended. */
async function runSession(session: ConnectSession, lane: number): Promise<string | undefined> {
  const self = lanes[lane]!;
  const other = lanes[(lane + 1) % LANES]!;
  const seen: { assigned?: unknown; challenge?: string; ping?: number } = {};
  const lookup = (placeholder: string): unknown => {
    switch (placeholder) {
      case LIVE.self:
        return self.workerId;
      case LIVE.selfSecret:
        return self.workerSecret;
      case LIVE.otherWorker:
        return other.workerId;
      case LIVE.otherSecret:
        return other.workerSecret;
      case LIVE.assignedRef:
        return seen.assigned ?? { jobId: knownJobs[0], index: 0, attempt: 1 };
      case LIVE.challenge:
        return seen.challenge ?? 'no-challenge-yet';
      case LIVE.ping:
        return seen.ping ?? 0;
      default:
        return gatewayLookup(placeholder);
    }
  };
  const metadata = new grpc.Metadata();
  const workerId = String(resolveLive(session.workerId, lookup));
  if (workerId) metadata.set(WORKER_ID_METADATA, workerId);
  if (session.authorization !== undefined) metadata.set('authorization', session.authorization.replace(/\u0000live:[a-z-]+/g, (p) => String(lookup(p))));
  counts.connectStreams++;
  const stream = servers.agentClient.makeBidiStreamRequest(AGENT.Connect.path, identity, AGENT.Connect.responseDeserialize, metadata, {});
  stream.on('data', (m: ConnectResponse) => {
    if (m.assignShard?.shard) seen.assigned = m.assignShard.shard;
    if (m.computeChallenge) seen.challenge = m.computeChallenge.challengeId;
    if (m.revealTiles) seen.challenge = m.revealTiles.challengeId;
    if (m.ping) seen.ping = m.ping.nonce;
  });
  stream.on('error', () => undefined);
  const status = new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));
  for (const message of [session.first, ...session.messages]) {
    if (stream.destroyed || stream.writableEnded) break;
    counts.connectMessages++;
    stream.write(encode(AGENT.Connect, message, lookup));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (session.ending === 'cancel') stream.cancel();
  else {
    if (session.ending === 'goodbye' && !stream.writableEnded) stream.write(encode(AGENT.Connect, { kind: 'object', value: { goodbye: { reason: 'fuzz done' } } }, lookup));
    if (!stream.writableEnded) stream.end();
  }
  const ended = await Promise.race([status, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000))]);
  if (!ended) {
    stream.cancel();
    return 'Connect: the stream neither ended nor answered within 10 s of the client ending it';
  }
  return problemWith('Connect', { code: ended.code, details: ended.details, cancelledByUs: session.ending === 'cancel' });
}
