/**
 * TLS on every port, checked from outside: `openssl s_client` sees the certificates of
 * `tessera dev`'s scheduler and gateway, a plaintext client gets nothing, and `tessera workers`
 * works with the dev CA. Agents pin the CA from the join token: a wrong pin makes an agent refuse
 * to join, a token without one is refused, and a worker's secret is not enough to connect without
 * the client certificate Join issued to that very worker. A rejected identity is kept.
 */
import * as grpc from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServiceClient } from '../../src/gen/tessera/v1/AgentService.js';
import type { ConnectRequestWire } from '../../src/gen/tessera/v1/ConnectRequest.js';
import type { ConnectResponse } from '../../src/gen/tessera/v1/ConnectResponse.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../../src/common/grpc.js';
import { createCsr } from '../../src/common/pki.js';
import { WORKER_ID_METADATA } from '../../src/common/secrets.js';
import { clientCredentials } from '../../src/common/tls.js';
import { hardwareToWire } from '../../src/wire/worker.js';
import { createJoinToken, splitJoinToken } from '../../src/store/join-tokens.js';
import { startEtcd, type EtcdServer } from '../support/etcd.js';
import { runTessera, spawnTessera, stopAll, waitFor } from '../support/processes.js';
import { call, startServers, type Servers } from '../support/servers.js';
import { CPU_HARDWARE } from '../support/workers.js';

describe('tessera dev serves TLS by default', () => {
  let dev: ReturnType<typeof spawnTessera>;
  let addresses: { gateway: string; scheduler: string; ca: string };
  beforeAll(async () => {
    dev = spawnTessera(['dev', '--agents', '1', '--no-demo-job', '--store', 'memory', '--scheduler-listen', '127.0.0.1:0', '--gateway-listen', '127.0.0.1:0', '--scheduler-metrics-listen', '127.0.0.1:0', '--gateway-metrics-listen', '127.0.0.1:0']);
    addresses = await waitFor(
      () => {
        const text = dev.output.join('\n');
        const gateway = /^\s+gateway\s+(\S+)/m.exec(text)?.[1];
        const scheduler = /^\s+scheduler\s+(\S+)/m.exec(text)?.[1];
        const ca = /export TESSERA_TLS_CA=(\S+)/.exec(text)?.[1];
        return gateway && scheduler && ca ? { gateway, scheduler, ca } : undefined;
      },
      60_000,
      'tessera dev up',
    );
  }, 90_000);
  afterAll(async () => {
    await dev?.stop('SIGTERM');
    await dev?.exited;
  });

  it('shows a certificate from the dev CA to openssl s_client on the scheduler and the gateway', () => {
    for (const address of [addresses.scheduler, addresses.gateway]) {
      const result = spawnSync('openssl', ['s_client', '-connect', address, '-CAfile', addresses.ca, '-alpn', 'h2', '-showcerts'], { input: '', encoding: 'utf8', timeout: 10_000 });
      expect(result.stdout, address).toContain('-----BEGIN CERTIFICATE-----');
      expect(result.stdout, address).toMatch(/issuer=CN\s?=\s?Tessera dev CA/);
      expect(result.stdout, address).toContain('Verify return code: 0 (ok)');
    }
  });

  it('refuses a plaintext client, and answers one that trusts the dev CA', async () => {
    const { proto } = loadTesseraProto();
    const plain = new proto.GatewayService(addresses.gateway, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
    const refused = await call(plain.ListWorkers.bind(plain), {});
    plain.close();
    expect(refused.error?.code).toBe(grpc.status.UNAVAILABLE);
    const listed = await runTessera(['workers', '--gateway', addresses.gateway, '--tls-ca', addresses.ca]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/dev-agent-1\s+cpu: \d+ cores/);
    const withoutCa = await runTessera(['workers', '--gateway', addresses.gateway]);
    expect(withoutCa.code).toBe(1);
  });
});

describe('agents and the pinned CA', () => {
  let etcd: EtcdServer;
  let servers: Servers;
  let stateRoot: string;
  beforeAll(async () => {
    etcd = await startEtcd();
    servers = await startServers(etcd.endpoint, { tls: true });
    stateRoot = await mkdtemp(join(tmpdir(), 'tessera-tls-'));
  });
  afterAll(async () => {
    await stopAll();
    await servers?.stop();
    await etcd?.stop();
    if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
  });

  const agent = (name: string, token: string, extra: string[] = []): ReturnType<typeof spawnTessera> =>
    spawnTessera(['agent', '--scheduler', servers.scheduler.address, '--join-token', token, '--state-dir', join(stateRoot, name), '--name', name, '--metrics-listen', '127.0.0.1:0', '--backoff-initial', '100ms', '--backoff-max', '500ms', ...extra]);

  it('refuses to join when the scheduler\'s chain does not hold the CA the token pins', async () => {
    const { token } = await createJoinToken(servers.store, { uses: 1, ttlMs: 60_000 });
    const { secret } = splitJoinToken(token);
    const wrong = agent('wrong-pin', `${secret}.sha256:${'0'.repeat(64)}`);
    expect(await wrong.exited).toBe(1);
    expect(wrong.output.join('\n')).toMatch(/refusing to join: .* presented no CA with the join token's hash sha256:0{64}/);
    expect(existsSync(join(stateRoot, 'wrong-pin', 'identity.json'))).toBe(false);
    const unpinned = agent('no-pin', secret);
    expect(await unpinned.exited).toBe(1);
    expect(unpinned.output.join('\n')).toContain('the join token carries no CA pin');
  });

  it('joins with the pinned CA and a client certificate; the secret alone, or another worker\'s certificate, does not connect', async () => {
    const { token } = await createJoinToken(servers.store, { uses: 2, ttlMs: 60_000 });
    const a = agent('tls-a', token);
    const b = agent('tls-b', token);
    const idA = String((await a.waitForLog((l) => l.msg === 'connected to scheduler', 30_000)).workerId);
    const idB = String((await b.waitForLog((l) => l.msg === 'connected to scheduler', 30_000)).workerId);
    const secretA = (JSON.parse(await readFile(join(stateRoot, 'tls-a', 'identity.json'), 'utf8')) as { workerSecret: string }).workerSecret;
    const tlsOf = async (name: string): Promise<{ keyPem: string; certPem: string }> => ({
      keyPem: await readFile(join(stateRoot, name, 'client.key'), 'utf8'),
      certPem: await readFile(join(stateRoot, name, 'client.crt'), 'utf8'),
    });
    const { proto } = loadTesseraProto();
    const connectAs = async (client: AgentServiceClient, workerId: string, secret: string): Promise<grpc.StatusObject | 'welcome'> => {
      const metadata = new grpc.Metadata();
      metadata.set(WORKER_ID_METADATA, workerId);
      metadata.set('authorization', `Bearer ${secret}`);
      const stream = client.Connect(metadata);
      return new Promise((resolve) => {
        stream.on('data', (m: ConnectResponse) => {
          if (m.msg === 'welcome') {
            stream.cancel();
            resolve('welcome');
          }
        });
        stream.on('error', () => undefined);
        stream.on('status', resolve);
        stream.write({ hello: { workerId, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', region: 'local', labels: {} } } satisfies ConnectRequestWire);
      });
    };
    // A stolen secret without the key: refused.
    const secretOnly = new proto.AgentService(servers.scheduler.address, clientCredentials(servers.tls!.caPem), CLIENT_OPTIONS);
    const noCert = await connectAs(secretOnly, idA, secretA);
    expect(noCert).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: expect.stringContaining('client certificate') });
    // The secret with another worker's certificate: refused, naming the mismatch.
    const asB = new proto.AgentService(servers.scheduler.address, clientCredentials(servers.tls!.caPem, await tlsOf('tls-b')), CLIENT_OPTIONS);
    const wrongCert = await connectAs(asB, idA, secretA);
    expect(wrongCert).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: `the client certificate is for ${idB}, not ${idA}` });
    // Renewal needs the worker's own certificate; the new one is for the same worker.
    const asA = new proto.AgentService(servers.scheduler.address, clientCredentials(servers.tls!.caPem, await tlsOf('tls-a')), CLIENT_OPTIONS);
    const metadata = new grpc.Metadata();
    metadata.set(WORKER_ID_METADATA, idA);
    metadata.set('authorization', `Bearer ${secretA}`);
    const csr = await createCsr('renewal');
    const renewed = await call<object, { clientCertPem: string }>(asA.RenewCertificate.bind(asA), { csrPem: csr.csrPem }, metadata);
    expect(renewed.error).toBeNull();
    const { X509Certificate } = await import('node:crypto');
    expect(new X509Certificate(renewed.response!.clientCertPem).subject).toBe(`CN=${idA}`);
    const refusedRenewal = await call(secretOnly.RenewCertificate.bind(secretOnly), { csrPem: csr.csrPem }, metadata);
    expect(refusedRenewal.error?.code).toBe(grpc.status.UNAUTHENTICATED);
    for (const c of [secretOnly, asB, asA]) c.close();
  });

  it('keeps its identity when the scheduler says UNAUTHENTICATED, and says what the operator must do', async () => {
    const { token } = await createJoinToken(servers.store, { uses: 1, ttlMs: 60_000 });
    const kept = agent('kept', token, ['--backoff-initial', '3s', '--backoff-max', '4s']);
    const id = String((await kept.waitForLog((l) => l.msg === 'connected to scheduler', 30_000)).workerId);
    // Take the agent's stream over with its own credentials (it reconnects after its 3 s back-off)…
    const dir = join(stateRoot, 'kept');
    const secret = (JSON.parse(await readFile(join(dir, 'identity.json'), 'utf8')) as { workerSecret: string }).workerSecret;
    const { proto } = loadTesseraProto();
    const client = new proto.AgentService(servers.scheduler.address, clientCredentials(servers.tls!.caPem, { keyPem: await readFile(join(dir, 'client.key'), 'utf8'), certPem: await readFile(join(dir, 'client.crt'), 'utf8') }), CLIENT_OPTIONS);
    const metadata = new grpc.Metadata();
    metadata.set(WORKER_ID_METADATA, id);
    metadata.set('authorization', `Bearer ${secret}`);
    const stream = client.Connect(metadata);
    stream.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      stream.on('data', (m: ConnectResponse) => m.msg === 'welcome' && resolve());
      stream.write({ hello: { workerId: id, hardware: hardwareToWire(CPU_HARDWARE), agentVersion: '0.1.0', region: 'local', labels: {} } } satisfies ConnectRequestWire);
    });
    // …then the fleet's store forgets the worker's credential (a reset store, a mis-pointed scheduler).
    const etcdClient = new Etcd3({ hosts: etcd.endpoint });
    await etcdClient.delete().key(`${servers.root}credentials/${id}`);
    etcdClient.close();
    stream.cancel();
    client.close();
    const line = await kept.waitForLog((l) => String(l.msg).includes("rejected this worker's identity"), 30_000);
    expect(String(line.msg)).toContain('the identity is kept');
    expect(String(line.msg)).toContain(`remove ${join(dir, 'identity.json')}`);
    expect(existsSync(join(dir, 'identity.json'))).toBe(true);
    expect(existsSync(join(dir, 'client.key'))).toBe(true);
  });
});
