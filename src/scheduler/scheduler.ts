/**
 * scheduler: wires the scheduler process — AgentService over gRPC, the topology view for
 * metrics, and /metrics.
 */
import type { Logger } from '../common/logger.js';
import { bindServer, createServer, guardService, loadTesseraProto, shutdownServer } from '../common/grpc.js';
import { registerFleetMetrics } from '../common/fleet-metrics.js';
import { createRegistry, startMetricsServer } from '../common/metrics-server.js';
import type { TopologyStore } from '../store/topology-store.js';
import { TopologyView } from '../store/topology-view.js';
import { AgentServiceImpl } from './agent-service.js';
import type { SchedulerConfig } from './config.js';
import { createSchedulerMetrics } from './metrics.js';

/** RunningScheduler is a started scheduler. */
export interface RunningScheduler {
  address: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** startScheduler starts serving agents on `config.listen`. The caller owns `store`. */
export async function startScheduler(config: SchedulerConfig, store: TopologyStore, logger: Logger): Promise<RunningScheduler> {
  const registry = createRegistry('scheduler');
  const view = await TopologyView.start(store);
  registerFleetMetrics(registry, () => view);
  const service: AgentServiceImpl = new AgentServiceImpl(config, store, createSchedulerMetrics(registry, (): number => service.sessions.size), logger);
  const { proto } = loadTesseraProto();
  const { server } = createServer(['tessera.v1.AgentService'], { maxReceiveMessageBytes: config.maxAgentMessageBytes });
  server.addService(guardService(proto.AgentService.service), service.handlers());
  const address = await bindServer(server, config.listen);
  const metrics = await startMetricsServer(registry, config.metricsListen, logger);
  logger.info(
    { grpcAddress: address, metricsUrl: metrics.url, store: store.kind, schedulerId: config.schedulerId, leaseTtlMs: config.leaseTtlMs },
    'scheduler listening',
  );
  return {
    address,
    metricsUrl: metrics.url,
    async stop() {
      await service.closeAll();
      await shutdownServer(server);
      await metrics.close();
      await view.stop();
    },
  };
}
