// Original file: proto/tessera/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetWorkerRequestWire as _tessera_v1_GetWorkerRequestWire, GetWorkerRequest as _tessera_v1_GetWorkerRequest } from '../../tessera/v1/GetWorkerRequest.js';
import type { GetWorkerResponseWire as _tessera_v1_GetWorkerResponseWire, GetWorkerResponse as _tessera_v1_GetWorkerResponse } from '../../tessera/v1/GetWorkerResponse.js';
import type { ListWorkersRequestWire as _tessera_v1_ListWorkersRequestWire, ListWorkersRequest as _tessera_v1_ListWorkersRequest } from '../../tessera/v1/ListWorkersRequest.js';
import type { ListWorkersResponseWire as _tessera_v1_ListWorkersResponseWire, ListWorkersResponse as _tessera_v1_ListWorkersResponse } from '../../tessera/v1/ListWorkersResponse.js';
import type { WatchWorkersRequestWire as _tessera_v1_WatchWorkersRequestWire, WatchWorkersRequest as _tessera_v1_WatchWorkersRequest } from '../../tessera/v1/WatchWorkersRequest.js';
import type { WatchWorkersResponseWire as _tessera_v1_WatchWorkersResponseWire, WatchWorkersResponse as _tessera_v1_WatchWorkersResponse } from '../../tessera/v1/WatchWorkersResponse.js';

export interface GatewayServiceClient extends grpc.Client {
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  
  WatchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  WatchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  watchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  watchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  
}

export interface GatewayServiceHandlers extends grpc.UntypedServiceImplementation {
  GetWorker: grpc.handleUnaryCall<_tessera_v1_GetWorkerRequest, _tessera_v1_GetWorkerResponseWire>;
  
  ListWorkers: grpc.handleUnaryCall<_tessera_v1_ListWorkersRequest, _tessera_v1_ListWorkersResponseWire>;
  
  WatchWorkers: grpc.handleServerStreamingCall<_tessera_v1_WatchWorkersRequest, _tessera_v1_WatchWorkersResponseWire>;
  
}

export interface GatewayServiceDefinition extends grpc.ServiceDefinition {
  GetWorker: MethodDefinition<_tessera_v1_GetWorkerRequestWire, _tessera_v1_GetWorkerResponseWire, _tessera_v1_GetWorkerRequest, _tessera_v1_GetWorkerResponse>
  ListWorkers: MethodDefinition<_tessera_v1_ListWorkersRequestWire, _tessera_v1_ListWorkersResponseWire, _tessera_v1_ListWorkersRequest, _tessera_v1_ListWorkersResponse>
  WatchWorkers: MethodDefinition<_tessera_v1_WatchWorkersRequestWire, _tessera_v1_WatchWorkersResponseWire, _tessera_v1_WatchWorkersRequest, _tessera_v1_WatchWorkersResponse>
}
