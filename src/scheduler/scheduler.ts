/**
 * scheduler: builds the scheduler process in dependency order — each part gets what it needs
 * when it is made, nothing is set afterwards: the views (mirrors of etcd), the agent sessions
 * (how anything reaches an agent), the job cache, trust, the controller, the inbox (what agents
 * say, routed), and the AgentService server; then /metrics.
 */
import type { Logger } from '../common/logger.js';
import { bindServer, createServer, guardService, loadTesseraProto, shutdownServer } from '../common/grpc.js';
import { registerFleetMetrics } from '../common/fleet-metrics.js';
import { createRegistry, startMetricsServer } from '../common/metrics-server.js';
import type { TopologyStore } from '../store/topology-store.js';
import { TopologyView } from '../store/topology-view.js';
import { AgentService } from './agent-service.js';
import { AgentInbox } from './agent-inbox.js';
import { AgentSessions } from './agent-sessions.js';
import type { SchedulerConfig } from './config.js';
import { createSchedulerMetrics } from './metrics.js';
import type { Kv } from '../store/kv.js';
import { JobStore } from '../store/job-store.js';
import { JobController } from './jobs/controller.js';
import { JobCache } from './jobs/cache.js';
import { TenantStore } from '../store/tenant-store.js';
import { TrustStore } from '../store/trust-store.js';
import { TrustView } from '../store/trust-view.js';
import { TrustManager } from './trust/manager.js';
import { registerSupplyMetrics } from '../common/fleet-metrics.js';
import { caOf, loadServerTls, serverCredentials } from '../common/tls.js';

/** RunningScheduler is a started scheduler. */
export interface RunningScheduler {
  address: string;
  /** controller is exposed for tests and benchmarks that wait for it to settle. */
  controller: JobController;
  trust: TrustManager;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** startScheduler starts serving agents on `config.listen`. The caller owns `store`. */
export async function startScheduler(config: SchedulerConfig, store: TopologyStore, kv: Kv, logger: Logger): Promise<RunningScheduler> {
  const tls = config.tlsDir ? await loadServerTls(config.tlsDir, true) : undefined;
  // New join tokens carry this CA's pin: publish it where `tessera join-token create` reads.
  if (tls) await store.putCaCertificate(tls.caPem);
  // A plaintext replica on a TLS fleet's store would accept a worker's secret without its certificate.
  else if (await store.getCaCertificate()) {
    throw new Error(`this fleet's store (${config.etcdPrefix}) holds a published CA: its schedulers serve TLS, so this one must too (--tls-dir), not --insecure`);
  }
  const registry = createRegistry('scheduler');
  const view = await TopologyView.start(store, logger);
  registerFleetMetrics(registry, () => view);
  const metrics = createSchedulerMetrics(registry, (): number => sessions.size);
  const sessions = new AgentSessions(config, logger);
  const jobs = new JobStore(kv, config.etcdPrefix, logger);
  const tenants = new TenantStore(kv, config.etcdPrefix, logger);
  const cache = new JobCache(jobs, logger);
  const trustStore = new TrustStore(kv, config.etcdPrefix, logger);
  // Trust changes (a worker verified, flagged) change what placement may use.
  const trustView = await TrustView.start(trustStore, logger, () => controller.capacityChanged());
  registerSupplyMetrics(registry, () => view, () => trustView);
  const trust = new TrustManager(
    trustStore,
    trustView,
    view,
    {
      sendChallenge: (workerId, challenge) => sessions.sendChallenge(workerId, challenge),
      sendReveal: (workerId, request) => sessions.sendReveal(workerId, request),
      connected: (workerId) => sessions.connected(workerId),
      rttP99Ms: (workerId) => sessions.rttP99Ms(workerId),
      // Challenges wait while the worker holds shards.
      busy: (workerId) => cache.busy(workerId),
    },
    config,
    metrics,
    logger,
  );
  const outputLimits = { attemptBytes: config.maxAttemptOutputBytes, jobBytes: config.maxJobOutputBytes, rateBytesPerSec: config.outputRateBytesPerSec, burstBytes: config.outputBurstBytes };
  const controller: JobController = new JobController({
    store: jobs,
    cache,
    tenants,
    topology: view,
    link: sessions,
    metrics,
    logger,
    outputLimits,
    trust: {
      shardOutcome: (workerId, outcome, gpuHours) => trust.onShardOutcome(workerId, outcome, gpuHours),
      extras: (worker) => ({ verified: trust.stateOf(worker) === 'verified', reputation: trust.reputation(worker.id), uptime30d: trust.uptime30d(worker.id) }),
    },
  });
  const inbox = new AgentInbox({ store, sessions, controller, trust, metrics, logger });
  const service = new AgentService({ config, store, sessions, inbox, controller, trust, metrics, logger, ...(tls && { ca: caOf(tls) }) });
  // A revoked worker's stream closes on every replica as the record change reaches its watch.
  view.on('change', (_change, worker) => {
    if (worker.revokedAtMs !== undefined) void sessions.revoked(worker.id);
  });
  await controller.start();
  const { proto } = loadTesseraProto();
  const { server } = createServer(['tessera.v1.AgentService'], { maxReceiveMessageBytes: config.maxAgentMessageBytes });
  server.addService(guardService(proto.AgentService.service), service.handlers());
  const address = await bindServer(server, config.listen, serverCredentials(tls));
  const metricsServer = await startMetricsServer(registry, config.metricsListen, logger);
  logger.info(
    { grpcAddress: address, tls: tls ? tls.dir : 'off (--insecure)', metricsUrl: metricsServer.url, store: store.kind, schedulerId: config.schedulerId, leaseTtlMs: config.leaseTtlMs },
    'scheduler listening',
  );
  return {
    address,
    controller,
    trust,
    metricsUrl: metricsServer.url,
    async stop() {
      trust.stop();
      await trustView.stop();
      await controller.stop();
      await sessions.closeAll();
      await shutdownServer(server);
      await metricsServer.close();
      await view.stop();
    },
  };
}
