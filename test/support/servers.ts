/**
 * servers: an in-process scheduler and gateway on real gRPC (127.0.0.1:0) and a real etcd, for
 * tests that poke the APIs directly.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { AgentServiceClient } from '../../src/gen/tessera/v1/AgentService.js';
import type { GatewayServiceClient } from '../../src/gen/tessera/v1/GatewayService.js';
import { CLIENT_OPTIONS, loadTesseraProto } from '../../src/common/grpc.js';
import { createLogger } from '../../src/common/logger.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { startGateway, type RunningGateway } from '../../src/gateway/gateway.js';
import { parseSchedulerConfig } from '../../src/scheduler/config.js';
import { startScheduler, type RunningScheduler } from '../../src/scheduler/scheduler.js';
import { EtcdTopologyStore } from '../../src/store/etcd-store.js';
import { EtcdKv } from '../../src/store/kv-etcd.js';
import { JobStore } from '../../src/store/job-store.js';

export const silentLogger = createLogger('test', { TESSERA_LOG_LEVEL: 'silent' });
/** serverLogger: silent, unless TESSERA_TEST_SERVER_LOG names a file for the in-process servers' JSON logs (debugging a suite). */
const serverLogger = process.env.TESSERA_TEST_SERVER_LOG ? createLogger('test-server', { TESSERA_LOG_LEVEL: 'debug', TESSERA_LOG_FILE: process.env.TESSERA_TEST_SERVER_LOG }) : silentLogger;

/** Servers is one in-process scheduler + gateway sharing an etcd key root. */
export interface Servers {
  store: EtcdTopologyStore;
  jobs: JobStore;
  root: string;
  scheduler: RunningScheduler;
  gateway: RunningGateway;
  agentClient: AgentServiceClient;
  gatewayClient: GatewayServiceClient;
  stop(): Promise<void>;
}

export async function startServers(etcdEndpoint: string, overrides: { leaseTtl?: string; heartbeatInterval?: string; helloTimeout?: string; scheduler?: Record<string, unknown> } = {}): Promise<Servers> {
  const root = `/tessera-test-${randomBytes(4).toString('hex')}/v1/`;
  const store = new EtcdTopologyStore({ endpoints: [etcdEndpoint], root, logger: silentLogger });
  const kv = new EtcdKv([etcdEndpoint]);
  const jobs = new JobStore(kv, root);
  const scheduler = await startScheduler(
    parseSchedulerConfig({
      listen: '127.0.0.1:0',
      metricsListen: '127.0.0.1:0',
      etcdEndpoints: [etcdEndpoint],
      etcdPrefix: root,
      leaseTtlMs: overrides.leaseTtl ?? '3s',
      heartbeatIntervalMs: overrides.heartbeatInterval ?? '500ms',
      helloTimeoutMs: overrides.helloTimeout ?? '2s',
      ...overrides.scheduler,
    }),
    store,
    kv,
    serverLogger,
  );
  const gateway = await startGateway(parseGatewayConfig({ listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0', etcdEndpoints: [etcdEndpoint], etcdPrefix: root }), store, kv, serverLogger);
  const { proto } = loadTesseraProto();
  const agentClient = new proto.AgentService(scheduler.address, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
  const gatewayClient = new proto.GatewayService(gateway.address, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
  return {
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
      await store.close();
      await kv.close();
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
