import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from './tessera/v1/Cpu.js';
import type { GatewayServiceClient as _tessera_v1_GatewayServiceClient, GatewayServiceDefinition as _tessera_v1_GatewayServiceDefinition } from './tessera/v1/GatewayService.js';
import type { GetWorkerRequestWire as _tessera_v1_GetWorkerRequestWire, GetWorkerRequest as _tessera_v1_GetWorkerRequest } from './tessera/v1/GetWorkerRequest.js';
import type { GetWorkerResponseWire as _tessera_v1_GetWorkerResponseWire, GetWorkerResponse as _tessera_v1_GetWorkerResponse } from './tessera/v1/GetWorkerResponse.js';
import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from './tessera/v1/Gpu.js';
import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from './tessera/v1/Hardware.js';
import type { ListWorkersRequestWire as _tessera_v1_ListWorkersRequestWire, ListWorkersRequest as _tessera_v1_ListWorkersRequest } from './tessera/v1/ListWorkersRequest.js';
import type { ListWorkersResponseWire as _tessera_v1_ListWorkersResponseWire, ListWorkersResponse as _tessera_v1_ListWorkersResponse } from './tessera/v1/ListWorkersResponse.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from './tessera/v1/MigDevice.js';
import type { WatchWorkersRequestWire as _tessera_v1_WatchWorkersRequestWire, WatchWorkersRequest as _tessera_v1_WatchWorkersRequest } from './tessera/v1/WatchWorkersRequest.js';
import type { WatchWorkersResponseWire as _tessera_v1_WatchWorkersResponseWire, WatchWorkersResponse as _tessera_v1_WatchWorkersResponse } from './tessera/v1/WatchWorkersResponse.js';
import type { WorkerWire as _tessera_v1_WorkerWire, Worker as _tessera_v1_Worker } from './tessera/v1/Worker.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_TimestampWire, _google_protobuf_Timestamp>
    }
  }
  tessera: {
    v1: {
      Cpu: MessageTypeDefinition<_tessera_v1_CpuWire, _tessera_v1_Cpu>
      GatewayService: SubtypeConstructor<typeof grpc.Client, _tessera_v1_GatewayServiceClient> & { service: _tessera_v1_GatewayServiceDefinition }
      GetWorkerRequest: MessageTypeDefinition<_tessera_v1_GetWorkerRequestWire, _tessera_v1_GetWorkerRequest>
      GetWorkerResponse: MessageTypeDefinition<_tessera_v1_GetWorkerResponseWire, _tessera_v1_GetWorkerResponse>
      Gpu: MessageTypeDefinition<_tessera_v1_GpuWire, _tessera_v1_Gpu>
      GpuVendor: EnumTypeDefinition
      Hardware: MessageTypeDefinition<_tessera_v1_HardwareWire, _tessera_v1_Hardware>
      ListWorkersRequest: MessageTypeDefinition<_tessera_v1_ListWorkersRequestWire, _tessera_v1_ListWorkersRequest>
      ListWorkersResponse: MessageTypeDefinition<_tessera_v1_ListWorkersResponseWire, _tessera_v1_ListWorkersResponse>
      MigDevice: MessageTypeDefinition<_tessera_v1_MigDeviceWire, _tessera_v1_MigDevice>
      MigMode: EnumTypeDefinition
      VirtualizationMode: EnumTypeDefinition
      WatchWorkersRequest: MessageTypeDefinition<_tessera_v1_WatchWorkersRequestWire, _tessera_v1_WatchWorkersRequest>
      WatchWorkersResponse: MessageTypeDefinition<_tessera_v1_WatchWorkersResponseWire, _tessera_v1_WatchWorkersResponse>
      Worker: MessageTypeDefinition<_tessera_v1_WorkerWire, _tessera_v1_Worker>
    }
  }
}

