/**
 * convert: the gateway's wire ↔ domain boundary.
 */
import type { ListWorkersRequest } from '../gen/tessera/v1/ListWorkersRequest.js';
import type { WatchWorkersResponseWire, _tessera_v1_WatchWorkersResponse_WorkerEventType as WorkerEventTypeOut } from '../gen/tessera/v1/WatchWorkersResponse.js';
import { InvalidArgument } from '../common/errors.js';
import { workerToWire } from '../common/wire.js';
import { WORKER_ID_PATTERN, type LiveRecord, type WorkerRecord, type WorkerView } from '../common/worker.js';
import type { WorkerChange } from '../store/topology-view.js';

/** WorkerFilter is a validated ListWorkers filter. */
export interface WorkerFilter {
  onlineOnly: boolean;
  region: string;
  gpuModel: string;
}

export function filterFromWire(request: ListWorkersRequest): WorkerFilter {
  if (request.region.length > 63) throw new InvalidArgument('region', 'expected at most 63 characters');
  if (request.gpuModel.length > 256) throw new InvalidArgument('gpu_model', 'expected at most 256 characters');
  return { onlineOnly: request.onlineOnly, region: request.region, gpuModel: request.gpuModel };
}

export function matchesFilter(worker: WorkerView, filter: WorkerFilter): boolean {
  return (
    (!filter.onlineOnly || worker.online) &&
    (!filter.region || worker.region === filter.region) &&
    (!filter.gpuModel || worker.hardware.gpus.some((g) => g.name === filter.gpuModel))
  );
}

export function workerIdFromWire(workerId: string): string {
  if (!WORKER_ID_PATTERN.test(workerId)) throw new InvalidArgument('worker_id', 'expected a worker id such as w-0123456789abcdef');
  return workerId;
}

function eventTypeToWire(change: WorkerChange | 'existing'): WorkerEventTypeOut {
  switch (change) {
    case 'existing':
      return 'WORKER_EVENT_TYPE_EXISTING';
    case 'joined':
      return 'WORKER_EVENT_TYPE_JOINED';
    case 'online':
      return 'WORKER_EVENT_TYPE_ONLINE';
    case 'offline':
      return 'WORKER_EVENT_TYPE_OFFLINE';
    case 'updated':
      return 'WORKER_EVENT_TYPE_UPDATED';
  }
}

/** watchEventToWire builds one WatchWorkers message from a view record. */
export function watchEventToWire(change: WorkerChange | 'existing', worker: WorkerRecord, live: LiveRecord | undefined, deviceIds: boolean): WatchWorkersResponseWire {
  const view: WorkerView = { ...worker, online: live !== undefined, ...(live && { connectedAtMs: live.connectedAtMs }) };
  return { type: eventTypeToWire(change), worker: workerToWire(view, undefined, undefined, { deviceIds }) };
}
