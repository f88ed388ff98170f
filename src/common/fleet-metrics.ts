/**
 * fleet-metrics: the fleet gauges every server exposes, computed at scrape time from a
 * TopologyView, so /metrics says "online" exactly when the store does.
 */
import { Gauge, type Registry } from 'prom-client';
import type { TopologyView } from '../store/topology-view.js';
import type { WorkerRecord } from './worker.js';
import type { TrustView } from '../store/trust-view.js';
import { provenGpuIndices, trustStateOf } from './trust.js';

/** CPU_ONLY_MODEL labels workers without a GPU. */
export const CPU_ONLY_MODEL = 'none';

/** GpuSupply counts one model's GPUs on online workers by trust state. */
export interface GpuSupply {
  model: string;
  claimed: number;
  verified: number;
  flagged: number;
}

/** FleetSupply is what tessera_gpus and GetFleetSummary both report: one computation, two views. */
export interface FleetSupply {
  gpus: GpuSupply[];
  workersOnline: number;
  workersVerified: number;
  workersFlagged: number;
}

/** fleetSupply counts online workers and their GPUs by model and trust state. */
export function fleetSupply(view: TopologyView, trust: TrustView): FleetSupply {
  const byModel = new Map<string, GpuSupply>();
  let workersOnline = 0;
  let workersVerified = 0;
  let workersFlagged = 0;
  for (const worker of onlineWorkers(view)) {
    workersOnline++;
    const state = trustStateOf(trust.get(worker.id), worker.hardware);
    if (state === 'verified') workersVerified++;
    if (state === 'flagged') workersFlagged++;
    // Each GPU counts as verified only when it passed its own challenge: one fast card cannot vouch for its neighbours.
    const proven = provenGpuIndices(trust.get(worker.id), worker.hardware);
    worker.hardware.gpus.forEach((gpu, index) => {
      const row = byModel.get(gpu.name) ?? { model: gpu.name, claimed: 0, verified: 0, flagged: 0 };
      row.claimed++;
      if (proven.has(index)) row.verified++;
      if (state === 'flagged') row.flagged++;
      byModel.set(gpu.name, row);
    });
  }
  return { gpus: [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model)), workersOnline, workersVerified, workersFlagged };
}

/** registerSupplyMetrics adds tessera_gpus{state,model}: claimed, verified and flagged GPUs on online workers. */
export function registerSupplyMetrics(registry: Registry, view: () => TopologyView | undefined, trust: () => TrustView | undefined): void {
  new Gauge({
    name: 'tessera_gpus',
    help: 'GPUs on online workers by model and state: claimed (reported), verified (passed challenges; the supply Tessera sells), flagged.',
    labelNames: ['state', 'model'],
    registers: [registry],
    collect() {
      this.reset();
      const v = view();
      const t = trust();
      if (!v || !t) return;
      for (const row of fleetSupply(v, t).gpus) {
        this.set({ state: 'claimed', model: row.model }, row.claimed);
        this.set({ state: 'verified', model: row.model }, row.verified);
        this.set({ state: 'flagged', model: row.model }, row.flagged);
      }
    },
  });
}

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
