// Original file: proto/tessera/v1/gateway.proto

import type { GpuSupplyWire as _tessera_v1_GpuSupplyWire, GpuSupply as _tessera_v1_GpuSupply } from '../../tessera/v1/GpuSupply.js';

export interface GetFleetSummaryResponseWire {
  'gpus'?: (_tessera_v1_GpuSupplyWire)[];
  'workersOnline'?: (number);
  'workersVerified'?: (number);
  'workersFlagged'?: (number);
}

export interface GetFleetSummaryResponse {
  'gpus': (_tessera_v1_GpuSupply)[];
  'workersOnline': (number);
  'workersVerified': (number);
  'workersFlagged': (number);
}
