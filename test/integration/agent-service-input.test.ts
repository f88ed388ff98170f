/**
 * Bad input to AgentService and GatewayService: every refusal carries the right status code and
 * names the field; the servers keep serving honest agents and the store is unchanged.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectRequestWire } from '../../src/gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponse } from '../../src/gen/tessera/v1/ConnectResponse.js';
import type { JoinRequestWire } from '../../src/gen/tessera/v1/JoinRequest.js';
import type { JoinResponse } from '../../src/gen/tessera/v1/JoinResponse.js';
import { hardwareToWire } from '../../src/wire/worker.js';
import { WORKER_ID_METADATA } from '../../src/common/secrets.js';
import { createJoinToken } from '../../src/store/join-tokens.js';
import { dumpKeys, startEtcd, type EtcdServer } from '../support/etcd.js';
import { call, startServers, type Servers } from '../support/servers.js';
import { CPU_HARDWARE } from '../support/store-contract.js';
import { waitFor } from '../support/processes.js';

let etcd: EtcdServer;
let servers: Servers;

beforeAll(async () => {
  etcd = await startEtcd();
  servers = await startServers(etcd.endpoint);
});
afterAll(async () => {
  await servers?.stop();
  await etcd?.stop();
});

function joinRequest(token: string, overrides: Partial<JoinRequestWire> = {}): JoinRequestWire {
  return { joinToken: token, name: 'honest', region: 'eu-west', labels: { tier: 'a' }, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', ...overrides };
}

async function join(request: JoinRequestWire): Promise<{ error: grpc.ServiceError | null; response: JoinResponse | undefined }> {
  return call(servers.agentClient.Join.bind(servers.agentClient), request);
}

async function token(uses = 1): Promise<string> {
  return (await createJoinToken(servers.store, { uses, ttlMs: 60_000 })).token;
}

/** openStream opens Connect with credentials and collects what the scheduler sends. */
function openStream(workerId: string, secret: string): { stream: grpc.ClientDuplexStream<ConnectRequestWire, ConnectResponse>; messages: ConnectResponse[]; status: Promise<grpc.StatusObject> } {
  const metadata = new grpc.Metadata();
  metadata.set(WORKER_ID_METADATA, workerId);
  metadata.set('authorization', `Bearer ${secret}`);
  const stream = servers.agentClient.Connect(metadata);
  const messages: ConnectResponse[] = [];
  stream.on('data', (m: ConnectResponse) => messages.push(m));
  const status = new Promise<grpc.StatusObject>((resolve) => {
    stream.on('error', () => undefined);
    stream.on('status', resolve);
  });
  return { stream, messages, status };
}

function hello(workerId: string, overrides: Record<string, unknown> = {}): ConnectRequestWire {
  return { hello: { workerId, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', region: 'eu-west', labels: { tier: 'a' }, ...overrides } };
}

describe('Join', () => {
  it('refuses a wrong token with UNAUTHENTICATED and a used one the second time', async () => {
    const wrong = await join(joinRequest('tsj_not-a-real-token'));
    expect(wrong.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    const t = await token(1);
    expect((await join(joinRequest(t))).error).toBeNull();
    const reused = await join(joinRequest(t));
    expect(reused.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(reused.error?.details).toMatch(/invalid, expired or used up/);
  });

  const cases: Array<[string, Partial<JoinRequestWire>, RegExp]> = [
    ['an empty join token', { joinToken: '' }, /^join_token: /],
    ['an empty name', { name: '' }, /^name: expected a name/],
    ['a region with spaces', { region: 'EU West' }, /^region: expected a region name/],
    ['a label key with a space', { labels: { 'bad key': 'x' } }, /^labels\.bad key: expected a label key/],
    ['a GPU without a name', { hardware: hardwareToWire({ ...CPU_HARDWARE, gpus: [{ vendor: 'nvidia', uuid: 'GPU-1', name: '', memoryTotalMib: 1, serial: '', pciBusId: '', virtualizationMode: 'none', computeCapability: '', migMode: 'disabled', migDevices: [], architecture: '', coreCount: 0 }] }) }, /^hardware\.gpus\[0\]\.name: /],
    ['65 GPUs', { hardware: hardwareToWire({ ...CPU_HARDWARE, gpus: Array.from({ length: 65 }, (_, i) => ({ vendor: 'nvidia' as const, uuid: `GPU-${i}`, name: 'T4', memoryTotalMib: 15360, serial: '', pciBusId: '', virtualizationMode: 'none' as const, computeCapability: '7.5', migMode: 'not-supported' as const, migDevices: [], architecture: '', coreCount: 0 })) }) }, /^hardware\.gpus: expected at most 64 GPUs/],
    ['an unspecified virtualization mode', { hardware: { ...hardwareToWire(CPU_HARDWARE), gpus: [{ vendor: 'GPU_VENDOR_NVIDIA', name: 'T4', virtualizationMode: 'VIRTUALIZATION_MODE_UNSPECIFIED', migMode: 'MIG_MODE_DISABLED' }] } }, /^hardware\.gpus\[0\]\.virtualizationMode: /],
    ['a 16 EiB GPU', { hardware: hardwareToWire({ ...CPU_HARDWARE, gpus: [{ vendor: 'nvidia', uuid: 'GPU-1', name: 'T4', memoryTotalMib: 2 ** 50, serial: '', pciBusId: '', virtualizationMode: 'none', computeCapability: '', migMode: 'disabled', migDevices: [], architecture: '', coreCount: 0 }] }) }, /^hardware\.gpus\[0\]\.memoryTotalMib: /],
    ['no CPU', { hardware: { ...hardwareToWire(CPU_HARDWARE), cpu: null } }, /^hardware\.cpu: /],
    ['a 300-character host name', { hardware: hardwareToWire({ ...CPU_HARDWARE, hostname: 'h'.repeat(300) }) }, /^hardware\.hostname: expected at most 256 characters/],
  ];

  it.each(cases)('refuses %s with INVALID_ARGUMENT naming the field, and stores nothing', async (_what, overrides, detail) => {
    const before = await dumpKeys(etcd.endpoint, servers.root);
    const t = await token(1);
    const result = await join(joinRequest(t, overrides));
    expect(result.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(result.error?.details).toMatch(detail);
    expect(result.error?.metadata.get('tessera-field-path')[0]).toBeTruthy();
    const after = await dumpKeys(etcd.endpoint, servers.root);
    // Only the token we minted for this case is new; it was not spent.
    expect(Object.keys(after).filter((k) => !(k in before))).toHaveLength(1);
    expect(Object.keys(after).filter((k) => k.includes('/workers/'))).toEqual(Object.keys(before).filter((k) => k.includes('/workers/')));
  });

  it('answers bytes that are not a JoinRequest with INVALID_ARGUMENT, not INTERNAL', async () => {
    const raw = new grpc.Client(servers.scheduler.address, grpc.credentials.createInsecure());
    try {
      const error = await new Promise<grpc.ServiceError | null>((resolve) => {
        raw.makeUnaryRequest('/tessera.v1.AgentService/Join', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x2a, 0x03, 0x0a, 0x01]), (err) => resolve(err));
      });
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error?.details).toMatch(/not a valid protobuf message/);
    } finally {
      raw.close();
    }
  });

  it('refuses a 2 MiB request with RESOURCE_EXHAUSTED', async () => {
    const result = await join(joinRequest(await token(1), { labels: { big: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(result.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});

describe('Connect', () => {
  let alice: JoinResponse;
  let bob: JoinResponse;

  beforeAll(async () => {
    const t = await token(2);
    alice = (await join(joinRequest(t, { name: 'alice' }))).response!;
    bob = (await join(joinRequest(t, { name: 'bob' }))).response!;
  });

  it('refuses a stream that claims another worker with PERMISSION_DENIED', async () => {
    const { stream, status } = openStream(alice.workerId, alice.workerSecret);
    stream.write(hello(bob.workerId));
    const result = await status;
    expect(result.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(result.details).toContain(bob.workerId);
    expect((await servers.store.getWorker(bob.workerId))!.online).toBe(false);
  });

  it('refuses a wrong secret and a missing one with UNAUTHENTICATED', async () => {
    const wrong = openStream(alice.workerId, bob.workerSecret);
    wrong.stream.write(hello(alice.workerId));
    expect((await wrong.status).code).toBe(grpc.status.UNAUTHENTICATED);
    const missing = openStream(alice.workerId, '');
    missing.stream.write(hello(alice.workerId));
    expect((await missing.status).code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('refuses a stream that starts with a heartbeat instead of hello', async () => {
    const { stream, status } = openStream(alice.workerId, alice.workerSecret);
    stream.write({ heartbeat: { sequence: 1, sentUnixMs: Date.now() } });
    const result = await status;
    expect(result.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(result.details).toMatch(/first message on Connect to be hello/);
  });

  it('refuses a hello with bad hardware, naming the field under hello.', async () => {
    const { stream, status } = openStream(alice.workerId, alice.workerSecret);
    stream.write(hello(alice.workerId, { hardware: hardwareToWire({ ...CPU_HARDWARE, cpu: { ...CPU_HARDWARE.cpu, cores: 0 } }) }));
    const result = await status;
    expect(result.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(result.details).toMatch(/^hello\.hardware\.cpu\.cores: expected at least 1 core/);
  });

  it('ends a stream that sends an oversized message with RESOURCE_EXHAUSTED, and the worker stays as it was', async () => {
    const before = await servers.store.getWorker(alice.workerId);
    const { stream, status } = openStream(alice.workerId, alice.workerSecret);
    stream.write(hello(alice.workerId, { labels: { big: 'x'.repeat(2 * 1024 * 1024) } }));
    expect((await status).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await servers.store.getWorker(alice.workerId)).toEqual(before);
  });

  it('keeps serving an honest agent through all of the above: it comes online and its beats are answered', async () => {
    const before = await dumpKeys(etcd.endpoint, servers.root);
    const { stream, messages } = openStream(bob.workerId, bob.workerSecret);
    stream.write(hello(bob.workerId));
    await waitFor(() => (messages.some((m) => m.msg === 'welcome') ? true : undefined), 5_000, 'welcome');
    stream.write({ heartbeat: { sequence: 7, sentUnixMs: Date.now() } });
    await waitFor(() => (messages.some((m) => m.heartbeatAck?.sequence === 7) ? true : undefined), 5_000, 'heartbeat ack');
    expect((await servers.store.getWorker(bob.workerId))!.online).toBe(true);
    // The honest connect wrote its live key and its reputation log; registrations and credentials are as they were.
    const after = await dumpKeys(etcd.endpoint, servers.root);
    const added = Object.keys(after).filter((k) => !(k in before));
    expect(added).toContain(`${servers.root}live/${bob.workerId}`);
    expect(added.every((k) => k === `${servers.root}live/${bob.workerId}` || k.startsWith(`${servers.root}reputation/${bob.workerId}/`) || k === `${servers.root}trust/${bob.workerId}`)).toBe(true);
    for (const key of Object.keys(before).filter((k) => /\/(workers|credentials|join-tokens)\//.test(k))) expect(after[key], key).toBe(before[key]);
    stream.write({ goodbye: { reason: 'test done' } });
    stream.end();
    await waitFor(async () => ((await servers.store.getWorker(bob.workerId))!.online ? undefined : true), 3_000, 'offline after goodbye');
  });
});

describe('GatewayService', () => {
  it('answers GetWorker with INVALID_ARGUMENT for a malformed id and NOT_FOUND for an unknown one', async () => {
    const gw = servers.gatewayClient;
    const bad = await call(gw.GetWorker.bind(gw), { workerId: '../../etc/passwd' });
    expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.error?.details).toMatch(/^worker_id: /);
    const unknown = await call(gw.GetWorker.bind(gw), { workerId: 'w-0000000000000000' });
    expect(unknown.error?.code).toBe(grpc.status.NOT_FOUND);
  });

  it('streams every worker on WatchWorkers, then changes as they happen', async () => {
    const gw = servers.gatewayClient;
    const stream = gw.WatchWorkers({});
    const events: Array<{ type: string; id: string; online: boolean }> = [];
    stream.on('data', (e: { type: string; worker: { id: string; online: boolean } }) => events.push({ type: e.type, id: e.worker.id, online: e.worker.online }));
    stream.on('error', () => undefined);
    await waitFor(() => (events.length >= 2 ? true : undefined), 5_000, 'existing workers');
    expect(events.every((e) => e.type === 'WORKER_EVENT_TYPE_EXISTING')).toBe(true);
    const t = await token(1);
    const joined = (await join(joinRequest(t, { name: 'carol' }))).response!;
    await waitFor(() => (events.some((e) => e.id === joined.workerId && e.type === 'WORKER_EVENT_TYPE_JOINED') ? true : undefined), 5_000, 'joined event');
    const { stream: agent, messages } = openStream(joined.workerId, joined.workerSecret);
    agent.write(hello(joined.workerId));
    await waitFor(() => (messages.length > 0 ? true : undefined), 5_000, 'welcome');
    await waitFor(() => (events.some((e) => e.id === joined.workerId && e.type === 'WORKER_EVENT_TYPE_ONLINE' && e.online) ? true : undefined), 5_000, 'online event');
    agent.write({ goodbye: { reason: 'done' } });
    agent.end();
    await waitFor(() => (events.some((e) => e.id === joined.workerId && e.type === 'WORKER_EVENT_TYPE_OFFLINE' && !e.online) ? true : undefined), 5_000, 'offline event');
    stream.cancel();
  });

  it('serves the gRPC health service and server reflection on both servers', async () => {
    const { loadSync } = await import('@grpc/proto-loader');
    const { protoPath } = await import('grpc-health-check');
    const health = grpc.loadPackageDefinition(loadSync(protoPath, { enums: String })) as unknown as { grpc: { health: { v1: { Health: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { Check: (r: object, cb: (e: grpc.ServiceError | null, r?: { status: string }) => void) => void } } } } };
    for (const [address, service] of [[servers.scheduler.address, 'tessera.v1.AgentService'], [servers.gateway.address, 'tessera.v1.GatewayService']] as const) {
      const client = new health.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
      const status = await new Promise<string | undefined>((resolve, reject) => client.Check({ service }, (e, r) => (e ? reject(e) : resolve(r?.status))));
      expect(status).toBe('SERVING');
      client.close();
    }
    const reflectionProto = new URL('../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto', import.meta.url).pathname;
    const reflection = grpc.loadPackageDefinition(loadSync(reflectionProto, { keepCase: true })) as unknown as { grpc: { reflection: { v1: { ServerReflection: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { ServerReflectionInfo: () => grpc.ClientDuplexStream<object, { list_services_response?: { service: Array<{ name: string }> } }> } } } } };
    const client = new reflection.grpc.reflection.v1.ServerReflection(servers.gateway.address, grpc.credentials.createInsecure());
    const stream = client.ServerReflectionInfo();
    const names = await new Promise<string[]>((resolve, reject) => {
      stream.on('data', (r: { list_services_response?: { service: Array<{ name: string }> } }) => resolve((r.list_services_response?.service ?? []).map((s) => s.name)));
      stream.on('error', reject);
      stream.write({ list_services: '' });
    });
    stream.end();
    client.close();
    expect(names).toEqual(expect.arrayContaining(['tessera.v1.GatewayService', 'tessera.v1.AgentService']));
  });
});
