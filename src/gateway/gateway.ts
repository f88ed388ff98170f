/**
 * gateway: GatewayService, the client-facing API, served from the topology store.
 */
import * as grpc from '@grpc/grpc-js';
import { Counter, Gauge } from 'prom-client';
import type { GatewayServiceHandlers } from '../gen/tessera/v1/GatewayService.js';
import { NotFound, ResourceExhausted } from '../common/errors.js';
import { registerFleetMetrics } from '../common/fleet-metrics.js';
import { loadServerTls, serverCredentials } from '../common/tls.js';
import { bindServer, createServer, guardService, isMalformed, loadTesseraProto, shutdownServer, toStatus, unaryHandler } from '../common/grpc.js';
import type { Logger } from '../common/logger.js';
import { createRegistry, startMetricsServer } from '../common/metrics-server.js';
import type { TopologyStore } from '../store/topology-store.js';
import { TopologyView, type WorkerChange } from '../store/topology-view.js';
import { matchesFilter, type WorkerRecord } from '../common/worker.js';
import type { GatewayConfig } from './config.js';
import type { Kv } from '../store/kv.js';
import { JobStore } from '../store/job-store.js';
import { TenantAuth } from './auth.js';
import { jobHandlers } from './jobs-api.js';
import { usageHandlers } from './usage-api.js';
import { TenantStore } from '../store/tenant-store.js';
import { TrustStore } from '../store/trust-store.js';
import { TrustView } from '../store/trust-view.js';
import { fleetSupply, registerSupplyMetrics } from '../common/fleet-metrics.js';
import { computeReputation } from '../common/reputation.js';
import { filterFromWire, watchEventToWire, workerIdFromWire } from '../wire/gateway.js';
import { workerToWire } from '../wire/worker.js';

/** RunningGateway is a started gateway. */
export interface RunningGateway {
  address: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** startGateway serves GatewayService on `config.listen`. The caller owns `store`. */
export async function startGateway(config: GatewayConfig, store: TopologyStore, kv: Kv, logger: Logger): Promise<RunningGateway> {
  const registry = createRegistry('gateway');
  const view = await TopologyView.start(store);
  registerFleetMetrics(registry, () => view);
  const requests = new Counter({
    name: 'tessera_gateway_requests_total',
    help: 'GatewayService calls by method and status code.',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const watchers = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  new Gauge({
    name: 'tessera_gateway_watch_streams',
    help: 'Open WatchWorkers streams.',
    registers: [registry],
    collect() {
      this.set(watchers.size);
    },
  });
  const counted = <Req, Res>(method: string, handle: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> => {
    const inner = unaryHandler<Req, Res>(logger, handle);
    return (call, callback) =>
      inner(call, (err, value) => {
        requests.inc({ method, code: grpc.status[err?.code ?? grpc.status.OK] });
        callback(err, value);
      });
  };

  let eventStreams = 0;
  new Gauge({
    name: 'tessera_gateway_job_event_streams',
    help: 'Open StreamJobEvents streams.',
    registers: [registry],
    collect() {
      this.set(eventStreams);
    },
  });
  const jobStore = new JobStore(kv, config.etcdPrefix, logger);
  const trustStore = new TrustStore(kv, config.etcdPrefix, logger);
  const trustView = await TrustView.start(trustStore, logger);
  registerSupplyMetrics(registry, () => view, () => trustView);
  const auth = new TenantAuth(jobStore);
  const tenantStore = new TenantStore(kv, config.etcdPrefix, logger);
  // GPU UUIDs and serials go only to callers with a valid API key (tenants, operators' tools).
  const seesDeviceIds = (metadata: grpc.Metadata): Promise<boolean> => (metadata.get('authorization').length === 0 ? Promise.resolve(false) : auth.tenantOf(metadata).then(() => true, () => false));
  const handlers: GatewayServiceHandlers = {
    ...jobHandlers(jobStore, auth, counted, { retentionMs: config.jobRetentionMs, logger, quotaOf: (id) => tenantStore.getQuota(id) }, (delta) => (eventStreams += delta)),
    ...usageHandlers(tenantStore, auth, counted),
    ListWorkers: counted('ListWorkers', async (request, call) => {
      const filter = filterFromWire(request);
      const deviceIds = await seesDeviceIds(call.metadata);
      const workers = (await store.listWorkers()).filter((w) => matchesFilter(w, filter));
      return { workers: workers.map((w) => workerToWire(w, trustView.get(w.id), undefined, { deviceIds })) };
    }),
    GetWorker: counted('GetWorker', async (request, call) => {
      const id = workerIdFromWire(request.workerId);
      const worker = await store.getWorker(id);
      if (!worker) throw new NotFound(`worker ${id} not found`);
      // The score is recomputed from the event log for this instant; `as_of` lets anyone repeat it.
      // As of a moment before the read: an event written meanwhile is stamped later, so the CLI recomputes exactly this.
      const asOfMs = Date.now() - 1;
      const reputation = computeReputation(await trustStore.reputationInputs(id, worker.joinedAtMs, asOfMs));
      return { worker: workerToWire(worker, trustView.get(id), reputation, { deviceIds: await seesDeviceIds(call.metadata) }) };
    }),
    GetFleetSummary: counted('GetFleetSummary', () => Promise.resolve(fleetSupply(view, trustView))),
    WatchWorkers: (call) => {
      if (isMalformed(call.request) || watchers.size >= config.maxWatchStreams) {
        const err = isMalformed(call.request)
          ? { code: grpc.status.INVALID_ARGUMENT, details: 'request: not a valid WatchWorkersRequest' }
          : toStatus(new ResourceExhausted(`at most ${config.maxWatchStreams} WatchWorkers streams at once`), logger);
        requests.inc({ method: 'WatchWorkers', code: grpc.status[err.code ?? grpc.status.UNKNOWN] });
        call.emit('error', err);
        return;
      }
      requests.inc({ method: 'WatchWorkers', code: 'OK' });
      watchers.add(call);
      let deviceIds = false;
      const onChange = (change: WorkerChange, worker: WorkerRecord): void => {
        call.write(watchEventToWire(change, worker, view.live.get(worker.id), deviceIds));
      };
      void seesDeviceIds(call.metadata).then((sees) => {
        if (!watchers.has(call)) return;
        deviceIds = sees;
        for (const worker of view.workers.values()) call.write(watchEventToWire('existing', worker, view.live.get(worker.id), deviceIds));
        view.on('change', onChange);
      });
      const stop = (): void => {
        view.off('change', onChange);
        watchers.delete(call);
      };
      call.on('cancelled', stop);
      call.on('close', stop);
    },
  };

  const { proto } = loadTesseraProto();
  const { server } = createServer(['tessera.v1.GatewayService'], { maxReceiveMessageBytes: config.maxRequestBytes });
  server.addService(guardService(proto.GatewayService.service), handlers);
  const tls = config.tlsDir ? await loadServerTls(config.tlsDir, false) : undefined;
  const address = await bindServer(server, config.listen, serverCredentials(tls));
  const metrics = await startMetricsServer(registry, config.metricsListen, logger);
  logger.info({ grpcAddress: address, tls: tls ? tls.dir : 'off (--insecure)', metricsUrl: metrics.url, store: store.kind }, 'gateway listening');
  return {
    address,
    metricsUrl: metrics.url,
    async stop() {
      for (const call of watchers) call.end();
      await shutdownServer(server);
      await metrics.close();
      await trustView.stop();
      await view.stop();
    },
  };
}
