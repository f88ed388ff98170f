// Original file: proto/tessera/v1/gateway.proto

import type { WorkerWire as _tessera_v1_WorkerWire, Worker as _tessera_v1_Worker } from '../../tessera/v1/Worker.js';

export interface ListWorkersResponseWire {
  'workers'?: (_tessera_v1_WorkerWire)[];
}

export interface ListWorkersResponse {
  'workers': (_tessera_v1_Worker)[];
}
