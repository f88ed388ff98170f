/**
 * fleet-metrics: the fleet gauges every server exposes, computed at scrape time from a
 * TopologyView, so /metrics says "online" exactly when the store does.
 */
import { Gauge, type Registry } from 'prom-client';
import type { TopologyView } from '../store/topology-view.js';
import type { WorkerRecord } from './worker.js';

/** CPU_ONLY_MODEL labels workers without a GPU. */
export const CPU_ONLY_MODEL = 'none';

/** onlineWorkers yields the records of workers whose lease is alive. */
function* onlineWorkers(view: TopologyView | undefined): Generator<WorkerRecord> {
  if (!view) return;
  for (const [id, worker] of view.workers) if (view.isOnline(id)) yield worker;
}

/** registerFleetMetrics adds tessera_workers_online, tessera_gpus_online and tessera_workers_registered. */
export function registerFleetMetrics(registry: Registry, view: () => TopologyView | undefined): void {
  new Gauge({
    name: 'tessera_workers_online',
    help: 'Workers whose lease is alive, by GPU model ("none" for CPU-only workers).',
    labelNames: ['gpu_model'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of onlineWorkers(view())) {
        const models = new Set(worker.hardware.gpus.map((g) => g.name));
        if (models.size === 0) models.add(CPU_ONLY_MODEL);
        for (const model of models) this.inc({ gpu_model: model });
      }
    },
  });
  new Gauge({
    name: 'tessera_gpus_online',
    help: 'GPUs claimed by online workers, by model (claimed, not yet verified).',
    labelNames: ['gpu_model'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of onlineWorkers(view())) {
        for (const gpu of worker.hardware.gpus) this.inc({ gpu_model: gpu.name });
      }
    },
  });
  new Gauge({
    name: 'tessera_workers_registered',
    help: 'Workers that ever joined and are still registered, online or not.',
    registers: [registry],
    collect() {
      this.set(view()?.workers.size ?? 0);
    },
  });
}
