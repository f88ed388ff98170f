// Original file: proto/tessera/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelJobRequestWire as _tessera_v1_CancelJobRequestWire, CancelJobRequest as _tessera_v1_CancelJobRequest } from '../../tessera/v1/CancelJobRequest.js';
import type { CancelJobResponseWire as _tessera_v1_CancelJobResponseWire, CancelJobResponse as _tessera_v1_CancelJobResponse } from '../../tessera/v1/CancelJobResponse.js';
import type { ExplainPlacementRequestWire as _tessera_v1_ExplainPlacementRequestWire, ExplainPlacementRequest as _tessera_v1_ExplainPlacementRequest } from '../../tessera/v1/ExplainPlacementRequest.js';
import type { ExplainPlacementResponseWire as _tessera_v1_ExplainPlacementResponseWire, ExplainPlacementResponse as _tessera_v1_ExplainPlacementResponse } from '../../tessera/v1/ExplainPlacementResponse.js';
import type { GetFleetSummaryRequestWire as _tessera_v1_GetFleetSummaryRequestWire, GetFleetSummaryRequest as _tessera_v1_GetFleetSummaryRequest } from '../../tessera/v1/GetFleetSummaryRequest.js';
import type { GetFleetSummaryResponseWire as _tessera_v1_GetFleetSummaryResponseWire, GetFleetSummaryResponse as _tessera_v1_GetFleetSummaryResponse } from '../../tessera/v1/GetFleetSummaryResponse.js';
import type { GetJobRequestWire as _tessera_v1_GetJobRequestWire, GetJobRequest as _tessera_v1_GetJobRequest } from '../../tessera/v1/GetJobRequest.js';
import type { GetJobResponseWire as _tessera_v1_GetJobResponseWire, GetJobResponse as _tessera_v1_GetJobResponse } from '../../tessera/v1/GetJobResponse.js';
import type { GetUsageRequestWire as _tessera_v1_GetUsageRequestWire, GetUsageRequest as _tessera_v1_GetUsageRequest } from '../../tessera/v1/GetUsageRequest.js';
import type { GetUsageResponseWire as _tessera_v1_GetUsageResponseWire, GetUsageResponse as _tessera_v1_GetUsageResponse } from '../../tessera/v1/GetUsageResponse.js';
import type { GetWorkerRequestWire as _tessera_v1_GetWorkerRequestWire, GetWorkerRequest as _tessera_v1_GetWorkerRequest } from '../../tessera/v1/GetWorkerRequest.js';
import type { GetWorkerResponseWire as _tessera_v1_GetWorkerResponseWire, GetWorkerResponse as _tessera_v1_GetWorkerResponse } from '../../tessera/v1/GetWorkerResponse.js';
import type { ListJobsRequestWire as _tessera_v1_ListJobsRequestWire, ListJobsRequest as _tessera_v1_ListJobsRequest } from '../../tessera/v1/ListJobsRequest.js';
import type { ListJobsResponseWire as _tessera_v1_ListJobsResponseWire, ListJobsResponse as _tessera_v1_ListJobsResponse } from '../../tessera/v1/ListJobsResponse.js';
import type { ListWorkersRequestWire as _tessera_v1_ListWorkersRequestWire, ListWorkersRequest as _tessera_v1_ListWorkersRequest } from '../../tessera/v1/ListWorkersRequest.js';
import type { ListWorkersResponseWire as _tessera_v1_ListWorkersResponseWire, ListWorkersResponse as _tessera_v1_ListWorkersResponse } from '../../tessera/v1/ListWorkersResponse.js';
import type { StreamJobEventsRequestWire as _tessera_v1_StreamJobEventsRequestWire, StreamJobEventsRequest as _tessera_v1_StreamJobEventsRequest } from '../../tessera/v1/StreamJobEventsRequest.js';
import type { StreamJobEventsResponseWire as _tessera_v1_StreamJobEventsResponseWire, StreamJobEventsResponse as _tessera_v1_StreamJobEventsResponse } from '../../tessera/v1/StreamJobEventsResponse.js';
import type { SubmitJobRequestWire as _tessera_v1_SubmitJobRequestWire, SubmitJobRequest as _tessera_v1_SubmitJobRequest } from '../../tessera/v1/SubmitJobRequest.js';
import type { SubmitJobResponseWire as _tessera_v1_SubmitJobResponseWire, SubmitJobResponse as _tessera_v1_SubmitJobResponse } from '../../tessera/v1/SubmitJobResponse.js';
import type { WatchWorkersRequestWire as _tessera_v1_WatchWorkersRequestWire, WatchWorkersRequest as _tessera_v1_WatchWorkersRequest } from '../../tessera/v1/WatchWorkersRequest.js';
import type { WatchWorkersResponseWire as _tessera_v1_WatchWorkersResponseWire, WatchWorkersResponse as _tessera_v1_WatchWorkersResponse } from '../../tessera/v1/WatchWorkersResponse.js';

export interface GatewayServiceClient extends grpc.Client {
  CancelJob(argument: _tessera_v1_CancelJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  CancelJob(argument: _tessera_v1_CancelJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  CancelJob(argument: _tessera_v1_CancelJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  CancelJob(argument: _tessera_v1_CancelJobRequestWire, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  cancelJob(argument: _tessera_v1_CancelJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  cancelJob(argument: _tessera_v1_CancelJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  cancelJob(argument: _tessera_v1_CancelJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  cancelJob(argument: _tessera_v1_CancelJobRequestWire, callback: grpc.requestCallback<_tessera_v1_CancelJobResponse>): grpc.ClientUnaryCall;
  
  ExplainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  ExplainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  ExplainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  ExplainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  explainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  explainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  explainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  explainPlacement(argument: _tessera_v1_ExplainPlacementRequestWire, callback: grpc.requestCallback<_tessera_v1_ExplainPlacementResponse>): grpc.ClientUnaryCall;
  
  GetFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  GetFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  GetFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  GetFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  getFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  getFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  getFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  getFleetSummary(argument: _tessera_v1_GetFleetSummaryRequestWire, callback: grpc.requestCallback<_tessera_v1_GetFleetSummaryResponse>): grpc.ClientUnaryCall;
  
  GetJob(argument: _tessera_v1_GetJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  GetJob(argument: _tessera_v1_GetJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  GetJob(argument: _tessera_v1_GetJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  GetJob(argument: _tessera_v1_GetJobRequestWire, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  getJob(argument: _tessera_v1_GetJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  getJob(argument: _tessera_v1_GetJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  getJob(argument: _tessera_v1_GetJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  getJob(argument: _tessera_v1_GetJobRequestWire, callback: grpc.requestCallback<_tessera_v1_GetJobResponse>): grpc.ClientUnaryCall;
  
  GetUsage(argument: _tessera_v1_GetUsageRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  GetUsage(argument: _tessera_v1_GetUsageRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  GetUsage(argument: _tessera_v1_GetUsageRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  GetUsage(argument: _tessera_v1_GetUsageRequestWire, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  getUsage(argument: _tessera_v1_GetUsageRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  getUsage(argument: _tessera_v1_GetUsageRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  getUsage(argument: _tessera_v1_GetUsageRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  getUsage(argument: _tessera_v1_GetUsageRequestWire, callback: grpc.requestCallback<_tessera_v1_GetUsageResponse>): grpc.ClientUnaryCall;
  
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  GetWorker(argument: _tessera_v1_GetWorkerRequestWire, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  getWorker(argument: _tessera_v1_GetWorkerRequestWire, callback: grpc.requestCallback<_tessera_v1_GetWorkerResponse>): grpc.ClientUnaryCall;
  
  ListJobs(argument: _tessera_v1_ListJobsRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  ListJobs(argument: _tessera_v1_ListJobsRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  ListJobs(argument: _tessera_v1_ListJobsRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  ListJobs(argument: _tessera_v1_ListJobsRequestWire, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  listJobs(argument: _tessera_v1_ListJobsRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  listJobs(argument: _tessera_v1_ListJobsRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  listJobs(argument: _tessera_v1_ListJobsRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  listJobs(argument: _tessera_v1_ListJobsRequestWire, callback: grpc.requestCallback<_tessera_v1_ListJobsResponse>): grpc.ClientUnaryCall;
  
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  ListWorkers(argument: _tessera_v1_ListWorkersRequestWire, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  listWorkers(argument: _tessera_v1_ListWorkersRequestWire, callback: grpc.requestCallback<_tessera_v1_ListWorkersResponse>): grpc.ClientUnaryCall;
  
  StreamJobEvents(argument: _tessera_v1_StreamJobEventsRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_StreamJobEventsResponse>;
  StreamJobEvents(argument: _tessera_v1_StreamJobEventsRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_StreamJobEventsResponse>;
  streamJobEvents(argument: _tessera_v1_StreamJobEventsRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_StreamJobEventsResponse>;
  streamJobEvents(argument: _tessera_v1_StreamJobEventsRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_StreamJobEventsResponse>;
  
  SubmitJob(argument: _tessera_v1_SubmitJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  SubmitJob(argument: _tessera_v1_SubmitJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  SubmitJob(argument: _tessera_v1_SubmitJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  SubmitJob(argument: _tessera_v1_SubmitJobRequestWire, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  submitJob(argument: _tessera_v1_SubmitJobRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  submitJob(argument: _tessera_v1_SubmitJobRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  submitJob(argument: _tessera_v1_SubmitJobRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  submitJob(argument: _tessera_v1_SubmitJobRequestWire, callback: grpc.requestCallback<_tessera_v1_SubmitJobResponse>): grpc.ClientUnaryCall;
  
  WatchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  WatchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  watchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  watchWorkers(argument: _tessera_v1_WatchWorkersRequestWire, options?: grpc.CallOptions): grpc.ClientReadableStream<_tessera_v1_WatchWorkersResponse>;
  
}

export interface GatewayServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelJob: grpc.handleUnaryCall<_tessera_v1_CancelJobRequest, _tessera_v1_CancelJobResponseWire>;
  
  ExplainPlacement: grpc.handleUnaryCall<_tessera_v1_ExplainPlacementRequest, _tessera_v1_ExplainPlacementResponseWire>;
  
  GetFleetSummary: grpc.handleUnaryCall<_tessera_v1_GetFleetSummaryRequest, _tessera_v1_GetFleetSummaryResponseWire>;
  
  GetJob: grpc.handleUnaryCall<_tessera_v1_GetJobRequest, _tessera_v1_GetJobResponseWire>;
  
  GetUsage: grpc.handleUnaryCall<_tessera_v1_GetUsageRequest, _tessera_v1_GetUsageResponseWire>;
  
  GetWorker: grpc.handleUnaryCall<_tessera_v1_GetWorkerRequest, _tessera_v1_GetWorkerResponseWire>;
  
  ListJobs: grpc.handleUnaryCall<_tessera_v1_ListJobsRequest, _tessera_v1_ListJobsResponseWire>;
  
  ListWorkers: grpc.handleUnaryCall<_tessera_v1_ListWorkersRequest, _tessera_v1_ListWorkersResponseWire>;
  
  StreamJobEvents: grpc.handleServerStreamingCall<_tessera_v1_StreamJobEventsRequest, _tessera_v1_StreamJobEventsResponseWire>;
  
  SubmitJob: grpc.handleUnaryCall<_tessera_v1_SubmitJobRequest, _tessera_v1_SubmitJobResponseWire>;
  
  WatchWorkers: grpc.handleServerStreamingCall<_tessera_v1_WatchWorkersRequest, _tessera_v1_WatchWorkersResponseWire>;
  
}

export interface GatewayServiceDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_tessera_v1_CancelJobRequestWire, _tessera_v1_CancelJobResponseWire, _tessera_v1_CancelJobRequest, _tessera_v1_CancelJobResponse>
  ExplainPlacement: MethodDefinition<_tessera_v1_ExplainPlacementRequestWire, _tessera_v1_ExplainPlacementResponseWire, _tessera_v1_ExplainPlacementRequest, _tessera_v1_ExplainPlacementResponse>
  GetFleetSummary: MethodDefinition<_tessera_v1_GetFleetSummaryRequestWire, _tessera_v1_GetFleetSummaryResponseWire, _tessera_v1_GetFleetSummaryRequest, _tessera_v1_GetFleetSummaryResponse>
  GetJob: MethodDefinition<_tessera_v1_GetJobRequestWire, _tessera_v1_GetJobResponseWire, _tessera_v1_GetJobRequest, _tessera_v1_GetJobResponse>
  GetUsage: MethodDefinition<_tessera_v1_GetUsageRequestWire, _tessera_v1_GetUsageResponseWire, _tessera_v1_GetUsageRequest, _tessera_v1_GetUsageResponse>
  GetWorker: MethodDefinition<_tessera_v1_GetWorkerRequestWire, _tessera_v1_GetWorkerResponseWire, _tessera_v1_GetWorkerRequest, _tessera_v1_GetWorkerResponse>
  ListJobs: MethodDefinition<_tessera_v1_ListJobsRequestWire, _tessera_v1_ListJobsResponseWire, _tessera_v1_ListJobsRequest, _tessera_v1_ListJobsResponse>
  ListWorkers: MethodDefinition<_tessera_v1_ListWorkersRequestWire, _tessera_v1_ListWorkersResponseWire, _tessera_v1_ListWorkersRequest, _tessera_v1_ListWorkersResponse>
  StreamJobEvents: MethodDefinition<_tessera_v1_StreamJobEventsRequestWire, _tessera_v1_StreamJobEventsResponseWire, _tessera_v1_StreamJobEventsRequest, _tessera_v1_StreamJobEventsResponse>
  SubmitJob: MethodDefinition<_tessera_v1_SubmitJobRequestWire, _tessera_v1_SubmitJobResponseWire, _tessera_v1_SubmitJobRequest, _tessera_v1_SubmitJobResponse>
  WatchWorkers: MethodDefinition<_tessera_v1_WatchWorkersRequestWire, _tessera_v1_WatchWorkersResponseWire, _tessera_v1_WatchWorkersRequest, _tessera_v1_WatchWorkersResponse>
}
