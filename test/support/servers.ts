/**
 * servers: an in-process scheduler and gateway on real gRPC (127.0.0.1:0) and a real etcd, for
 * tests that poke the APIs directly.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientCredentials, initTlsDir } from '../../src/common/tls.js';
import type { AgentServiceClient } from '../../src/gen/tessera/v1/AgentService.js';
import type { GatewayServiceClient } from '../../src/gen/tessera/v1/GatewayService.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../../src/common/grpc.js';
import { createLogger } from '../../src/common/logger.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway/gateway.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';
import { startScheduler, type RunningScheduler } from '../../src/scheduler/scheduler.js';
import { TopologyStore } from '../../src/store/topology-store.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { JobStore } from '../../src/store/job-store.js';

export const silentLogger = createLogger('test', { TESSERA_LOG_LEVEL: 'silent' });
/** serverLogger: silent, unless TESSERA_TEST_SERVER_LOG names a file for the in-process servers' JSON logs (debugging a suite). */
const serverLogger = process.env.TESSERA_TEST_SERVER_LOG ? createLogger('test-server', { TESSERA_LOG_LEVEL: 'debug', TESSERA_LOG_FILE: process.env.TESSERA_TEST_SERVER_LOG }) : silentLogger;

/** Servers is one in-process scheduler + gateway sharing an etcd key root. */
export interface Servers {
  store: TopologyStore;
  jobs: JobStore;
  root: string;
  scheduler: RunningScheduler;
  gateway: RunningGateway;
  agentClient: AgentServiceClient;
  gatewayClient: GatewayServiceClient;
  /** With `tls`: the TLS directory, the CA (file and PEM) clients trust, and its pin. */
  tls?: { dir: string; caFile: string; caPem: string; pin: string };
  /** Flags an agent process needs for these servers (--insecure when they serve plaintext). */
  agentArgs: string[];
  stop(): Promise<void>;
}

/**
 * startServers starts a scheduler and a gateway. Plaintext (--insecure, so agents need --insecure
 * too) unless `tls`: then both serve TLS from a fresh CA, clients trust it, and join tokens carry
 * its pin.
 */
export async function startServers(
  etcdEndpoint: string,
  overrides: { leaseTtl?: string; heartbeatInterval?: string; helloTimeout?: string; scheduler?: Record<string, unknown>; tls?: boolean; /** The scheduler reaches etcd here (a proxy the test can cut); the gateway always directly. */ schedulerEtcd?: string } = {},
): Promise<Servers> {
  const root = `/tessera-test-${randomBytes(4).toString('hex')}/v1/`;
  let tls: Servers['tls'];
  if (overrides.tls) {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-tls-'));
    const { pin } = await initTlsDir(dir, ['127.0.0.1', 'localhost']);
    tls = { dir, caFile: join(dir, 'ca.crt'), caPem: await readFile(join(dir, 'ca.crt'), 'utf8'), pin };
  }
  const security = tls ? { tlsDir: tls.dir } : { insecure: true };
  const kv = new EtcdKv([etcdEndpoint]);
  const store = new TopologyStore(kv, root, silentLogger);
  const jobs = new JobStore(kv, root);
  const schedulerKv = overrides.schedulerEtcd ? new EtcdKv([overrides.schedulerEtcd]) : kv;
  const scheduler = await startScheduler(
    parseSchedulerConfig({
      listen: '127.0.0.1:0',
      metricsListen: '127.0.0.1:0',
      etcdEndpoints: [etcdEndpoint],
      etcdPrefix: root,
      leaseTtlMs: overrides.leaseTtl ?? '3s',
      heartbeatIntervalMs: overrides.heartbeatInterval ?? '500ms',
      helloTimeoutMs: overrides.helloTimeout ?? '2s',
      ...security,
      ...overrides.scheduler,
    }),
    schedulerKv === kv ? store : new TopologyStore(schedulerKv, root, silentLogger),
    schedulerKv,
    serverLogger,
  );
  const gateway = await startGateway(parseGatewayConfig({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', etcdEndpoints: [etcdEndpoint], etcdPrefix: root, ...security }), store, kv, serverLogger);
  const { proto } = loadTesseraProto();
  const agentClient = new proto.AgentService(scheduler.address, clientCredentials(tls?.caPem), CLIENT_OPTIONS);
  const gatewayClient = new proto.GatewayService(gateway.address, clientCredentials(tls?.caPem), CLIENT_OPTIONS);
  return {
    tls,
    agentArgs: tls ? [] : ['--insecure'],
    store,
    jobs,
    root,
    scheduler,
    gateway,
    agentClient,
    gatewayClient,
    async stop() {
      agentClient.close();
      gatewayClient.close();
      await gateway.stop();
      await scheduler.stop();
      await store.deleteAll();
      if (schedulerKv !== kv) await schedulerKv.close();
      await kv.close();
      if (tls) await rm(tls.dir, { recursive: true, force: true });
    },
  };
}

/** unary turns a callback-style client method into a promise of [error, response]. */
export function call<Req, Res>(
  method: (req: Req, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  request: Req,
  metadata = new grpc.Metadata(),
): Promise<{ error: grpc.ServiceError | null; response: Res | undefined }> {
  return new Promise((resolve) => {
    method(request, metadata, { deadline: Date.now() + 10_000 }, (error, response) => resolve({ error, response }));
  });
}
