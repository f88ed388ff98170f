/**
 * snapshot: builds placement's view of the fleet from domain records. Pure: the controller hands
 * it workers (what shards hold comes from the job cache's per-worker index, as a UsageView).
 */
import { familyOf } from '../../common/gpu-catalog.js';
import type { WorkerRecord } from '../../common/worker.js';
import { NodeIndex } from './node-index.js';
import type { NodeInfo } from './types.js';

/** nodeOf converts one worker. */
export function nodeOf(worker: WorkerRecord, online: boolean, extras: { reputation?: number; uptime30d?: number; latencyMs?: number; verified?: boolean } = {}): NodeInfo {
  const gpus = worker.hardware.gpus.map((g, index) => ({ index, name: g.name, family: familyOf(g.name), memoryMib: g.memoryTotalMib }));
  return {
    id: worker.id,
    online,
    region: worker.region,
    labels: worker.labels,
    gpus,
    families: new Set(gpus.map((g) => g.family).filter((f): f is string => f !== undefined)),
    cpuCores: worker.hardware.cpu.cores,
    memoryMib: worker.hardware.cpu.memoryTotalMib,
    sandboxed: worker.isolation.sandboxed,
    ...extras,
  };
}

/** NodeExtras are what the scheduler knows of a worker beyond its record (trust, reputation). */
export type NodeExtras = (worker: WorkerRecord) => { reputation?: number; uptime30d?: number; latencyMs?: number; verified?: boolean };

/** buildIndex indexes every worker. */
export function buildIndex(workers: Iterable<[WorkerRecord, boolean]>, extras?: NodeExtras): NodeIndex {
  return new NodeIndex([...workers].map(([w, online]) => nodeOf(w, online, extras?.(w))));
}
