// Original file: proto/tessera/v1/gateway.proto

import type { WorkerWire as _tessera_v1_WorkerWire, Worker as _tessera_v1_Worker } from '../../tessera/v1/Worker.js';

export interface GetWorkerResponseWire {
  'worker'?: (_tessera_v1_WorkerWire | null);
}

export interface GetWorkerResponse {
  'worker': (_tessera_v1_Worker | null);
}
