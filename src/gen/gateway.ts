import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { CancelJobRequestWire as _tessera_v1_CancelJobRequestWire, CancelJobRequest as _tessera_v1_CancelJobRequest } from './tessera/v1/CancelJobRequest.js';
import type { CancelJobResponseWire as _tessera_v1_CancelJobResponseWire, CancelJobResponse as _tessera_v1_CancelJobResponse } from './tessera/v1/CancelJobResponse.js';
import type { CandidateScoreWire as _tessera_v1_CandidateScoreWire, CandidateScore as _tessera_v1_CandidateScore } from './tessera/v1/CandidateScore.js';
import type { ChallengeSummaryWire as _tessera_v1_ChallengeSummaryWire, ChallengeSummary as _tessera_v1_ChallengeSummary } from './tessera/v1/ChallengeSummary.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from './tessera/v1/Cpu.js';
import type { EntrypointWire as _tessera_v1_EntrypointWire, Entrypoint as _tessera_v1_Entrypoint } from './tessera/v1/Entrypoint.js';
import type { ExplainPlacementRequestWire as _tessera_v1_ExplainPlacementRequestWire, ExplainPlacementRequest as _tessera_v1_ExplainPlacementRequest } from './tessera/v1/ExplainPlacementRequest.js';
import type { ExplainPlacementResponseWire as _tessera_v1_ExplainPlacementResponseWire, ExplainPlacementResponse as _tessera_v1_ExplainPlacementResponse } from './tessera/v1/ExplainPlacementResponse.js';
import type { GangPartitionWire as _tessera_v1_GangPartitionWire, GangPartition as _tessera_v1_GangPartition } from './tessera/v1/GangPartition.js';
import type { GatewayServiceClient as _tessera_v1_GatewayServiceClient, GatewayServiceDefinition as _tessera_v1_GatewayServiceDefinition } from './tessera/v1/GatewayService.js';
import type { GetFleetSummaryRequestWire as _tessera_v1_GetFleetSummaryRequestWire, GetFleetSummaryRequest as _tessera_v1_GetFleetSummaryRequest } from './tessera/v1/GetFleetSummaryRequest.js';
import type { GetFleetSummaryResponseWire as _tessera_v1_GetFleetSummaryResponseWire, GetFleetSummaryResponse as _tessera_v1_GetFleetSummaryResponse } from './tessera/v1/GetFleetSummaryResponse.js';
import type { GetJobRequestWire as _tessera_v1_GetJobRequestWire, GetJobRequest as _tessera_v1_GetJobRequest } from './tessera/v1/GetJobRequest.js';
import type { GetJobResponseWire as _tessera_v1_GetJobResponseWire, GetJobResponse as _tessera_v1_GetJobResponse } from './tessera/v1/GetJobResponse.js';
import type { GetUsageRequestWire as _tessera_v1_GetUsageRequestWire, GetUsageRequest as _tessera_v1_GetUsageRequest } from './tessera/v1/GetUsageRequest.js';
import type { GetUsageResponseWire as _tessera_v1_GetUsageResponseWire, GetUsageResponse as _tessera_v1_GetUsageResponse } from './tessera/v1/GetUsageResponse.js';
import type { GetWorkerRequestWire as _tessera_v1_GetWorkerRequestWire, GetWorkerRequest as _tessera_v1_GetWorkerRequest } from './tessera/v1/GetWorkerRequest.js';
import type { GetWorkerResponseWire as _tessera_v1_GetWorkerResponseWire, GetWorkerResponse as _tessera_v1_GetWorkerResponse } from './tessera/v1/GetWorkerResponse.js';
import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from './tessera/v1/Gpu.js';
import type { GpuSupplyWire as _tessera_v1_GpuSupplyWire, GpuSupply as _tessera_v1_GpuSupply } from './tessera/v1/GpuSupply.js';
import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from './tessera/v1/Hardware.js';
import type { IndependentPartitionWire as _tessera_v1_IndependentPartitionWire, IndependentPartition as _tessera_v1_IndependentPartition } from './tessera/v1/IndependentPartition.js';
import type { InlineFileWire as _tessera_v1_InlineFileWire, InlineFile as _tessera_v1_InlineFile } from './tessera/v1/InlineFile.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from './tessera/v1/Isolation.js';
import type { JobWire as _tessera_v1_JobWire, Job as _tessera_v1_Job } from './tessera/v1/Job.js';
import type { JobEventWire as _tessera_v1_JobEventWire, JobEvent as _tessera_v1_JobEvent } from './tessera/v1/JobEvent.js';
import type { JobSpecWire as _tessera_v1_JobSpecWire, JobSpec as _tessera_v1_JobSpec } from './tessera/v1/JobSpec.js';
import type { JobStateChangedWire as _tessera_v1_JobStateChangedWire, JobStateChanged as _tessera_v1_JobStateChanged } from './tessera/v1/JobStateChanged.js';
import type { JobSummaryWire as _tessera_v1_JobSummaryWire, JobSummary as _tessera_v1_JobSummary } from './tessera/v1/JobSummary.js';
import type { ListJobsRequestWire as _tessera_v1_ListJobsRequestWire, ListJobsRequest as _tessera_v1_ListJobsRequest } from './tessera/v1/ListJobsRequest.js';
import type { ListJobsResponseWire as _tessera_v1_ListJobsResponseWire, ListJobsResponse as _tessera_v1_ListJobsResponse } from './tessera/v1/ListJobsResponse.js';
import type { ListWorkersRequestWire as _tessera_v1_ListWorkersRequestWire, ListWorkersRequest as _tessera_v1_ListWorkersRequest } from './tessera/v1/ListWorkersRequest.js';
import type { ListWorkersResponseWire as _tessera_v1_ListWorkersResponseWire, ListWorkersResponse as _tessera_v1_ListWorkersResponse } from './tessera/v1/ListWorkersResponse.js';
import type { LogChunkWire as _tessera_v1_LogChunkWire, LogChunk as _tessera_v1_LogChunk } from './tessera/v1/LogChunk.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from './tessera/v1/MigDevice.js';
import type { PlacementCandidateWire as _tessera_v1_PlacementCandidateWire, PlacementCandidate as _tessera_v1_PlacementCandidate } from './tessera/v1/PlacementCandidate.js';
import type { PlacementExplanationWire as _tessera_v1_PlacementExplanationWire, PlacementExplanation as _tessera_v1_PlacementExplanation } from './tessera/v1/PlacementExplanation.js';
import type { ReputationWire as _tessera_v1_ReputationWire, Reputation as _tessera_v1_Reputation } from './tessera/v1/Reputation.js';
import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from './tessera/v1/ReputationComponent.js';
import type { ResourcesWire as _tessera_v1_ResourcesWire, Resources as _tessera_v1_Resources } from './tessera/v1/Resources.js';
import type { ShardWire as _tessera_v1_ShardWire, Shard as _tessera_v1_Shard } from './tessera/v1/Shard.js';
import type { ShardCountsWire as _tessera_v1_ShardCountsWire, ShardCounts as _tessera_v1_ShardCounts } from './tessera/v1/ShardCounts.js';
import type { ShardResultWire as _tessera_v1_ShardResultWire, ShardResult as _tessera_v1_ShardResult } from './tessera/v1/ShardResult.js';
import type { ShardStateChangedWire as _tessera_v1_ShardStateChangedWire, ShardStateChanged as _tessera_v1_ShardStateChanged } from './tessera/v1/ShardStateChanged.js';
import type { StreamJobEventsRequestWire as _tessera_v1_StreamJobEventsRequestWire, StreamJobEventsRequest as _tessera_v1_StreamJobEventsRequest } from './tessera/v1/StreamJobEventsRequest.js';
import type { StreamJobEventsResponseWire as _tessera_v1_StreamJobEventsResponseWire, StreamJobEventsResponse as _tessera_v1_StreamJobEventsResponse } from './tessera/v1/StreamJobEventsResponse.js';
import type { SubmitJobRequestWire as _tessera_v1_SubmitJobRequestWire, SubmitJobRequest as _tessera_v1_SubmitJobRequest } from './tessera/v1/SubmitJobRequest.js';
import type { SubmitJobResponseWire as _tessera_v1_SubmitJobResponseWire, SubmitJobResponse as _tessera_v1_SubmitJobResponse } from './tessera/v1/SubmitJobResponse.js';
import type { TenantQuotaWire as _tessera_v1_TenantQuotaWire, TenantQuota as _tessera_v1_TenantQuota } from './tessera/v1/TenantQuota.js';
import type { TrustFlagWire as _tessera_v1_TrustFlagWire, TrustFlag as _tessera_v1_TrustFlag } from './tessera/v1/TrustFlag.js';
import type { UptimeWindowWire as _tessera_v1_UptimeWindowWire, UptimeWindow as _tessera_v1_UptimeWindow } from './tessera/v1/UptimeWindow.js';
import type { UsageDayWire as _tessera_v1_UsageDayWire, UsageDay as _tessera_v1_UsageDay } from './tessera/v1/UsageDay.js';
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
      CancelJobRequest: MessageTypeDefinition<_tessera_v1_CancelJobRequestWire, _tessera_v1_CancelJobRequest>
      CancelJobResponse: MessageTypeDefinition<_tessera_v1_CancelJobResponseWire, _tessera_v1_CancelJobResponse>
      CandidateScore: MessageTypeDefinition<_tessera_v1_CandidateScoreWire, _tessera_v1_CandidateScore>
      ChallengeSummary: MessageTypeDefinition<_tessera_v1_ChallengeSummaryWire, _tessera_v1_ChallengeSummary>
      Cpu: MessageTypeDefinition<_tessera_v1_CpuWire, _tessera_v1_Cpu>
      Entrypoint: MessageTypeDefinition<_tessera_v1_EntrypointWire, _tessera_v1_Entrypoint>
      ExplainPlacementRequest: MessageTypeDefinition<_tessera_v1_ExplainPlacementRequestWire, _tessera_v1_ExplainPlacementRequest>
      ExplainPlacementResponse: MessageTypeDefinition<_tessera_v1_ExplainPlacementResponseWire, _tessera_v1_ExplainPlacementResponse>
      GangPartition: MessageTypeDefinition<_tessera_v1_GangPartitionWire, _tessera_v1_GangPartition>
      GatewayService: SubtypeConstructor<typeof grpc.Client, _tessera_v1_GatewayServiceClient> & { service: _tessera_v1_GatewayServiceDefinition }
      GetFleetSummaryRequest: MessageTypeDefinition<_tessera_v1_GetFleetSummaryRequestWire, _tessera_v1_GetFleetSummaryRequest>
      GetFleetSummaryResponse: MessageTypeDefinition<_tessera_v1_GetFleetSummaryResponseWire, _tessera_v1_GetFleetSummaryResponse>
      GetJobRequest: MessageTypeDefinition<_tessera_v1_GetJobRequestWire, _tessera_v1_GetJobRequest>
      GetJobResponse: MessageTypeDefinition<_tessera_v1_GetJobResponseWire, _tessera_v1_GetJobResponse>
      GetUsageRequest: MessageTypeDefinition<_tessera_v1_GetUsageRequestWire, _tessera_v1_GetUsageRequest>
      GetUsageResponse: MessageTypeDefinition<_tessera_v1_GetUsageResponseWire, _tessera_v1_GetUsageResponse>
      GetWorkerRequest: MessageTypeDefinition<_tessera_v1_GetWorkerRequestWire, _tessera_v1_GetWorkerRequest>
      GetWorkerResponse: MessageTypeDefinition<_tessera_v1_GetWorkerResponseWire, _tessera_v1_GetWorkerResponse>
      Gpu: MessageTypeDefinition<_tessera_v1_GpuWire, _tessera_v1_Gpu>
      GpuSupply: MessageTypeDefinition<_tessera_v1_GpuSupplyWire, _tessera_v1_GpuSupply>
      GpuVendor: EnumTypeDefinition
      Hardware: MessageTypeDefinition<_tessera_v1_HardwareWire, _tessera_v1_Hardware>
      IndependentPartition: MessageTypeDefinition<_tessera_v1_IndependentPartitionWire, _tessera_v1_IndependentPartition>
      InlineFile: MessageTypeDefinition<_tessera_v1_InlineFileWire, _tessera_v1_InlineFile>
      Isolation: MessageTypeDefinition<_tessera_v1_IsolationWire, _tessera_v1_Isolation>
      Job: MessageTypeDefinition<_tessera_v1_JobWire, _tessera_v1_Job>
      JobEvent: MessageTypeDefinition<_tessera_v1_JobEventWire, _tessera_v1_JobEvent>
      JobSpec: MessageTypeDefinition<_tessera_v1_JobSpecWire, _tessera_v1_JobSpec>
      JobState: EnumTypeDefinition
      JobStateChanged: MessageTypeDefinition<_tessera_v1_JobStateChangedWire, _tessera_v1_JobStateChanged>
      JobSummary: MessageTypeDefinition<_tessera_v1_JobSummaryWire, _tessera_v1_JobSummary>
      ListJobsRequest: MessageTypeDefinition<_tessera_v1_ListJobsRequestWire, _tessera_v1_ListJobsRequest>
      ListJobsResponse: MessageTypeDefinition<_tessera_v1_ListJobsResponseWire, _tessera_v1_ListJobsResponse>
      ListWorkersRequest: MessageTypeDefinition<_tessera_v1_ListWorkersRequestWire, _tessera_v1_ListWorkersRequest>
      ListWorkersResponse: MessageTypeDefinition<_tessera_v1_ListWorkersResponseWire, _tessera_v1_ListWorkersResponse>
      LogChunk: MessageTypeDefinition<_tessera_v1_LogChunkWire, _tessera_v1_LogChunk>
      MigDevice: MessageTypeDefinition<_tessera_v1_MigDeviceWire, _tessera_v1_MigDevice>
      MigMode: EnumTypeDefinition
      PlacementCandidate: MessageTypeDefinition<_tessera_v1_PlacementCandidateWire, _tessera_v1_PlacementCandidate>
      PlacementExplanation: MessageTypeDefinition<_tessera_v1_PlacementExplanationWire, _tessera_v1_PlacementExplanation>
      Reputation: MessageTypeDefinition<_tessera_v1_ReputationWire, _tessera_v1_Reputation>
      ReputationComponent: MessageTypeDefinition<_tessera_v1_ReputationComponentWire, _tessera_v1_ReputationComponent>
      Resources: MessageTypeDefinition<_tessera_v1_ResourcesWire, _tessera_v1_Resources>
      Shard: MessageTypeDefinition<_tessera_v1_ShardWire, _tessera_v1_Shard>
      ShardCounts: MessageTypeDefinition<_tessera_v1_ShardCountsWire, _tessera_v1_ShardCounts>
      ShardResult: MessageTypeDefinition<_tessera_v1_ShardResultWire, _tessera_v1_ShardResult>
      ShardState: EnumTypeDefinition
      ShardStateChanged: MessageTypeDefinition<_tessera_v1_ShardStateChangedWire, _tessera_v1_ShardStateChanged>
      StreamJobEventsRequest: MessageTypeDefinition<_tessera_v1_StreamJobEventsRequestWire, _tessera_v1_StreamJobEventsRequest>
      StreamJobEventsResponse: MessageTypeDefinition<_tessera_v1_StreamJobEventsResponseWire, _tessera_v1_StreamJobEventsResponse>
      SubmitJobRequest: MessageTypeDefinition<_tessera_v1_SubmitJobRequestWire, _tessera_v1_SubmitJobRequest>
      SubmitJobResponse: MessageTypeDefinition<_tessera_v1_SubmitJobResponseWire, _tessera_v1_SubmitJobResponse>
      TenantQuota: MessageTypeDefinition<_tessera_v1_TenantQuotaWire, _tessera_v1_TenantQuota>
      TrustFlag: MessageTypeDefinition<_tessera_v1_TrustFlagWire, _tessera_v1_TrustFlag>
      TrustState: EnumTypeDefinition
      UptimeWindow: MessageTypeDefinition<_tessera_v1_UptimeWindowWire, _tessera_v1_UptimeWindow>
      UsageDay: MessageTypeDefinition<_tessera_v1_UsageDayWire, _tessera_v1_UsageDay>
      VirtualizationMode: EnumTypeDefinition
      WatchWorkersRequest: MessageTypeDefinition<_tessera_v1_WatchWorkersRequestWire, _tessera_v1_WatchWorkersRequest>
      WatchWorkersResponse: MessageTypeDefinition<_tessera_v1_WatchWorkersResponseWire, _tessera_v1_WatchWorkersResponse>
      Worker: MessageTypeDefinition<_tessera_v1_WorkerWire, _tessera_v1_Worker>
    }
  }
}

