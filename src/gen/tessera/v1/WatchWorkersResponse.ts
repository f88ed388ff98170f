// Original file: proto/tessera/v1/gateway.proto

import type { WorkerWire as _tessera_v1_WorkerWire, Worker as _tessera_v1_Worker } from '../../tessera/v1/Worker.js';

// Original file: proto/tessera/v1/gateway.proto

export const _tessera_v1_WatchWorkersResponse_WorkerEventType = {
  WORKER_EVENT_TYPE_UNSPECIFIED: 'WORKER_EVENT_TYPE_UNSPECIFIED',
  WORKER_EVENT_TYPE_EXISTING: 'WORKER_EVENT_TYPE_EXISTING',
  WORKER_EVENT_TYPE_JOINED: 'WORKER_EVENT_TYPE_JOINED',
  WORKER_EVENT_TYPE_ONLINE: 'WORKER_EVENT_TYPE_ONLINE',
  WORKER_EVENT_TYPE_OFFLINE: 'WORKER_EVENT_TYPE_OFFLINE',
  WORKER_EVENT_TYPE_UPDATED: 'WORKER_EVENT_TYPE_UPDATED',
} as const;

export type _tessera_v1_WatchWorkersResponse_WorkerEventTypeWire =
  | 'WORKER_EVENT_TYPE_UNSPECIFIED'
  | 0
  | 'WORKER_EVENT_TYPE_EXISTING'
  | 1
  | 'WORKER_EVENT_TYPE_JOINED'
  | 2
  | 'WORKER_EVENT_TYPE_ONLINE'
  | 3
  | 'WORKER_EVENT_TYPE_OFFLINE'
  | 4
  | 'WORKER_EVENT_TYPE_UPDATED'
  | 5

export type _tessera_v1_WatchWorkersResponse_WorkerEventType = typeof _tessera_v1_WatchWorkersResponse_WorkerEventType[keyof typeof _tessera_v1_WatchWorkersResponse_WorkerEventType]

export interface WatchWorkersResponseWire {
  'type'?: (_tessera_v1_WatchWorkersResponse_WorkerEventTypeWire);
  'worker'?: (_tessera_v1_WorkerWire | null);
}

export interface WatchWorkersResponse {
  'type': (_tessera_v1_WatchWorkersResponse_WorkerEventType);
  'worker': (_tessera_v1_Worker | null);
}
