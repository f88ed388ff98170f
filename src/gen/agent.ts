import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { AgentServiceClient as _tessera_v1_AgentServiceClient, AgentServiceDefinition as _tessera_v1_AgentServiceDefinition } from './tessera/v1/AgentService.js';
import type { AssignShardWire as _tessera_v1_AssignShardWire, AssignShard as _tessera_v1_AssignShard } from './tessera/v1/AssignShard.js';
import type { CancelShardWire as _tessera_v1_CancelShardWire, CancelShard as _tessera_v1_CancelShard } from './tessera/v1/CancelShard.js';
import type { CandidateScoreWire as _tessera_v1_CandidateScoreWire, CandidateScore as _tessera_v1_CandidateScore } from './tessera/v1/CandidateScore.js';
import type { ChallengeCommitWire as _tessera_v1_ChallengeCommitWire, ChallengeCommit as _tessera_v1_ChallengeCommit } from './tessera/v1/ChallengeCommit.js';
import type { ChallengeSummaryWire as _tessera_v1_ChallengeSummaryWire, ChallengeSummary as _tessera_v1_ChallengeSummary } from './tessera/v1/ChallengeSummary.js';
import type { ChallengeTileWire as _tessera_v1_ChallengeTileWire, ChallengeTile as _tessera_v1_ChallengeTile } from './tessera/v1/ChallengeTile.js';
import type { ComputeChallengeWire as _tessera_v1_ComputeChallengeWire, ComputeChallenge as _tessera_v1_ComputeChallenge } from './tessera/v1/ComputeChallenge.js';
import type { ConnectRequestWire as _tessera_v1_ConnectRequestWire, ConnectRequest as _tessera_v1_ConnectRequest } from './tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire as _tessera_v1_ConnectResponseWire, ConnectResponse as _tessera_v1_ConnectResponse } from './tessera/v1/ConnectResponse.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from './tessera/v1/Cpu.js';
import type { EntrypointWire as _tessera_v1_EntrypointWire, Entrypoint as _tessera_v1_Entrypoint } from './tessera/v1/Entrypoint.js';
import type { GangPartitionWire as _tessera_v1_GangPartitionWire, GangPartition as _tessera_v1_GangPartition } from './tessera/v1/GangPartition.js';
import type { GoodbyeWire as _tessera_v1_GoodbyeWire, Goodbye as _tessera_v1_Goodbye } from './tessera/v1/Goodbye.js';
import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from './tessera/v1/Gpu.js';
import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from './tessera/v1/Hardware.js';
import type { HeartbeatWire as _tessera_v1_HeartbeatWire, Heartbeat as _tessera_v1_Heartbeat } from './tessera/v1/Heartbeat.js';
import type { HeartbeatAckWire as _tessera_v1_HeartbeatAckWire, HeartbeatAck as _tessera_v1_HeartbeatAck } from './tessera/v1/HeartbeatAck.js';
import type { HelloWire as _tessera_v1_HelloWire, Hello as _tessera_v1_Hello } from './tessera/v1/Hello.js';
import type { IndependentPartitionWire as _tessera_v1_IndependentPartitionWire, IndependentPartition as _tessera_v1_IndependentPartition } from './tessera/v1/IndependentPartition.js';
import type { InlineFileWire as _tessera_v1_InlineFileWire, InlineFile as _tessera_v1_InlineFile } from './tessera/v1/InlineFile.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from './tessera/v1/Isolation.js';
import type { JobWire as _tessera_v1_JobWire, Job as _tessera_v1_Job } from './tessera/v1/Job.js';
import type { JobEventWire as _tessera_v1_JobEventWire, JobEvent as _tessera_v1_JobEvent } from './tessera/v1/JobEvent.js';
import type { JobSpecWire as _tessera_v1_JobSpecWire, JobSpec as _tessera_v1_JobSpec } from './tessera/v1/JobSpec.js';
import type { JobStateChangedWire as _tessera_v1_JobStateChangedWire, JobStateChanged as _tessera_v1_JobStateChanged } from './tessera/v1/JobStateChanged.js';
import type { JobSummaryWire as _tessera_v1_JobSummaryWire, JobSummary as _tessera_v1_JobSummary } from './tessera/v1/JobSummary.js';
import type { JoinRequestWire as _tessera_v1_JoinRequestWire, JoinRequest as _tessera_v1_JoinRequest } from './tessera/v1/JoinRequest.js';
import type { JoinResponseWire as _tessera_v1_JoinResponseWire, JoinResponse as _tessera_v1_JoinResponse } from './tessera/v1/JoinResponse.js';
import type { LogChunkWire as _tessera_v1_LogChunkWire, LogChunk as _tessera_v1_LogChunk } from './tessera/v1/LogChunk.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from './tessera/v1/MigDevice.js';
import type { PingWire as _tessera_v1_PingWire, Ping as _tessera_v1_Ping } from './tessera/v1/Ping.js';
import type { PlacementCandidateWire as _tessera_v1_PlacementCandidateWire, PlacementCandidate as _tessera_v1_PlacementCandidate } from './tessera/v1/PlacementCandidate.js';
import type { PlacementExplanationWire as _tessera_v1_PlacementExplanationWire, PlacementExplanation as _tessera_v1_PlacementExplanation } from './tessera/v1/PlacementExplanation.js';
import type { PongWire as _tessera_v1_PongWire, Pong as _tessera_v1_Pong } from './tessera/v1/Pong.js';
import type { RenewCertificateRequestWire as _tessera_v1_RenewCertificateRequestWire, RenewCertificateRequest as _tessera_v1_RenewCertificateRequest } from './tessera/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponseWire as _tessera_v1_RenewCertificateResponseWire, RenewCertificateResponse as _tessera_v1_RenewCertificateResponse } from './tessera/v1/RenewCertificateResponse.js';
import type { ReputationWire as _tessera_v1_ReputationWire, Reputation as _tessera_v1_Reputation } from './tessera/v1/Reputation.js';
import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from './tessera/v1/ReputationComponent.js';
import type { ResourcesWire as _tessera_v1_ResourcesWire, Resources as _tessera_v1_Resources } from './tessera/v1/Resources.js';
import type { RevealTilesWire as _tessera_v1_RevealTilesWire, RevealTiles as _tessera_v1_RevealTiles } from './tessera/v1/RevealTiles.js';
import type { ShardWire as _tessera_v1_ShardWire, Shard as _tessera_v1_Shard } from './tessera/v1/Shard.js';
import type { ShardCountsWire as _tessera_v1_ShardCountsWire, ShardCounts as _tessera_v1_ShardCounts } from './tessera/v1/ShardCounts.js';
import type { ShardFinishedWire as _tessera_v1_ShardFinishedWire, ShardFinished as _tessera_v1_ShardFinished } from './tessera/v1/ShardFinished.js';
import type { ShardLimitsWire as _tessera_v1_ShardLimitsWire, ShardLimits as _tessera_v1_ShardLimits } from './tessera/v1/ShardLimits.js';
import type { ShardOutputWire as _tessera_v1_ShardOutputWire, ShardOutput as _tessera_v1_ShardOutput } from './tessera/v1/ShardOutput.js';
import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from './tessera/v1/ShardRef.js';
import type { ShardResultWire as _tessera_v1_ShardResultWire, ShardResult as _tessera_v1_ShardResult } from './tessera/v1/ShardResult.js';
import type { ShardStartedWire as _tessera_v1_ShardStartedWire, ShardStarted as _tessera_v1_ShardStarted } from './tessera/v1/ShardStarted.js';
import type { ShardStateChangedWire as _tessera_v1_ShardStateChangedWire, ShardStateChanged as _tessera_v1_ShardStateChanged } from './tessera/v1/ShardStateChanged.js';
import type { ShardUpdateWire as _tessera_v1_ShardUpdateWire, ShardUpdate as _tessera_v1_ShardUpdate } from './tessera/v1/ShardUpdate.js';
import type { ShardUpdateAckWire as _tessera_v1_ShardUpdateAckWire, ShardUpdateAck as _tessera_v1_ShardUpdateAck } from './tessera/v1/ShardUpdateAck.js';
import type { TileRefWire as _tessera_v1_TileRefWire, TileRef as _tessera_v1_TileRef } from './tessera/v1/TileRef.js';
import type { TrustFlagWire as _tessera_v1_TrustFlagWire, TrustFlag as _tessera_v1_TrustFlag } from './tessera/v1/TrustFlag.js';
import type { UptimeWindowWire as _tessera_v1_UptimeWindowWire, UptimeWindow as _tessera_v1_UptimeWindow } from './tessera/v1/UptimeWindow.js';
import type { WelcomeWire as _tessera_v1_WelcomeWire, Welcome as _tessera_v1_Welcome } from './tessera/v1/Welcome.js';
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
      AgentService: SubtypeConstructor<typeof grpc.Client, _tessera_v1_AgentServiceClient> & { service: _tessera_v1_AgentServiceDefinition }
      AssignShard: MessageTypeDefinition<_tessera_v1_AssignShardWire, _tessera_v1_AssignShard>
      CancelShard: MessageTypeDefinition<_tessera_v1_CancelShardWire, _tessera_v1_CancelShard>
      CandidateScore: MessageTypeDefinition<_tessera_v1_CandidateScoreWire, _tessera_v1_CandidateScore>
      ChallengeCommit: MessageTypeDefinition<_tessera_v1_ChallengeCommitWire, _tessera_v1_ChallengeCommit>
      ChallengeSummary: MessageTypeDefinition<_tessera_v1_ChallengeSummaryWire, _tessera_v1_ChallengeSummary>
      ChallengeTile: MessageTypeDefinition<_tessera_v1_ChallengeTileWire, _tessera_v1_ChallengeTile>
      ComputeChallenge: MessageTypeDefinition<_tessera_v1_ComputeChallengeWire, _tessera_v1_ComputeChallenge>
      ConnectRequest: MessageTypeDefinition<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectRequest>
      ConnectResponse: MessageTypeDefinition<_tessera_v1_ConnectResponseWire, _tessera_v1_ConnectResponse>
      Cpu: MessageTypeDefinition<_tessera_v1_CpuWire, _tessera_v1_Cpu>
      Entrypoint: MessageTypeDefinition<_tessera_v1_EntrypointWire, _tessera_v1_Entrypoint>
      GangPartition: MessageTypeDefinition<_tessera_v1_GangPartitionWire, _tessera_v1_GangPartition>
      Goodbye: MessageTypeDefinition<_tessera_v1_GoodbyeWire, _tessera_v1_Goodbye>
      Gpu: MessageTypeDefinition<_tessera_v1_GpuWire, _tessera_v1_Gpu>
      GpuVendor: EnumTypeDefinition
      Hardware: MessageTypeDefinition<_tessera_v1_HardwareWire, _tessera_v1_Hardware>
      Heartbeat: MessageTypeDefinition<_tessera_v1_HeartbeatWire, _tessera_v1_Heartbeat>
      HeartbeatAck: MessageTypeDefinition<_tessera_v1_HeartbeatAckWire, _tessera_v1_HeartbeatAck>
      Hello: MessageTypeDefinition<_tessera_v1_HelloWire, _tessera_v1_Hello>
      IndependentPartition: MessageTypeDefinition<_tessera_v1_IndependentPartitionWire, _tessera_v1_IndependentPartition>
      InlineFile: MessageTypeDefinition<_tessera_v1_InlineFileWire, _tessera_v1_InlineFile>
      Isolation: MessageTypeDefinition<_tessera_v1_IsolationWire, _tessera_v1_Isolation>
      Job: MessageTypeDefinition<_tessera_v1_JobWire, _tessera_v1_Job>
      JobEvent: MessageTypeDefinition<_tessera_v1_JobEventWire, _tessera_v1_JobEvent>
      JobSpec: MessageTypeDefinition<_tessera_v1_JobSpecWire, _tessera_v1_JobSpec>
      JobState: EnumTypeDefinition
      JobStateChanged: MessageTypeDefinition<_tessera_v1_JobStateChangedWire, _tessera_v1_JobStateChanged>
      JobSummary: MessageTypeDefinition<_tessera_v1_JobSummaryWire, _tessera_v1_JobSummary>
      JoinRequest: MessageTypeDefinition<_tessera_v1_JoinRequestWire, _tessera_v1_JoinRequest>
      JoinResponse: MessageTypeDefinition<_tessera_v1_JoinResponseWire, _tessera_v1_JoinResponse>
      LogChunk: MessageTypeDefinition<_tessera_v1_LogChunkWire, _tessera_v1_LogChunk>
      MigDevice: MessageTypeDefinition<_tessera_v1_MigDeviceWire, _tessera_v1_MigDevice>
      MigMode: EnumTypeDefinition
      Ping: MessageTypeDefinition<_tessera_v1_PingWire, _tessera_v1_Ping>
      PlacementCandidate: MessageTypeDefinition<_tessera_v1_PlacementCandidateWire, _tessera_v1_PlacementCandidate>
      PlacementExplanation: MessageTypeDefinition<_tessera_v1_PlacementExplanationWire, _tessera_v1_PlacementExplanation>
      Pong: MessageTypeDefinition<_tessera_v1_PongWire, _tessera_v1_Pong>
      RenewCertificateRequest: MessageTypeDefinition<_tessera_v1_RenewCertificateRequestWire, _tessera_v1_RenewCertificateRequest>
      RenewCertificateResponse: MessageTypeDefinition<_tessera_v1_RenewCertificateResponseWire, _tessera_v1_RenewCertificateResponse>
      Reputation: MessageTypeDefinition<_tessera_v1_ReputationWire, _tessera_v1_Reputation>
      ReputationComponent: MessageTypeDefinition<_tessera_v1_ReputationComponentWire, _tessera_v1_ReputationComponent>
      Resources: MessageTypeDefinition<_tessera_v1_ResourcesWire, _tessera_v1_Resources>
      RevealTiles: MessageTypeDefinition<_tessera_v1_RevealTilesWire, _tessera_v1_RevealTiles>
      Shard: MessageTypeDefinition<_tessera_v1_ShardWire, _tessera_v1_Shard>
      ShardCounts: MessageTypeDefinition<_tessera_v1_ShardCountsWire, _tessera_v1_ShardCounts>
      ShardFinished: MessageTypeDefinition<_tessera_v1_ShardFinishedWire, _tessera_v1_ShardFinished>
      ShardLimits: MessageTypeDefinition<_tessera_v1_ShardLimitsWire, _tessera_v1_ShardLimits>
      ShardOutput: MessageTypeDefinition<_tessera_v1_ShardOutputWire, _tessera_v1_ShardOutput>
      ShardRef: MessageTypeDefinition<_tessera_v1_ShardRefWire, _tessera_v1_ShardRef>
      ShardResult: MessageTypeDefinition<_tessera_v1_ShardResultWire, _tessera_v1_ShardResult>
      ShardStarted: MessageTypeDefinition<_tessera_v1_ShardStartedWire, _tessera_v1_ShardStarted>
      ShardState: EnumTypeDefinition
      ShardStateChanged: MessageTypeDefinition<_tessera_v1_ShardStateChangedWire, _tessera_v1_ShardStateChanged>
      ShardUpdate: MessageTypeDefinition<_tessera_v1_ShardUpdateWire, _tessera_v1_ShardUpdate>
      ShardUpdateAck: MessageTypeDefinition<_tessera_v1_ShardUpdateAckWire, _tessera_v1_ShardUpdateAck>
      TileRef: MessageTypeDefinition<_tessera_v1_TileRefWire, _tessera_v1_TileRef>
      TrustFlag: MessageTypeDefinition<_tessera_v1_TrustFlagWire, _tessera_v1_TrustFlag>
      TrustState: EnumTypeDefinition
      UptimeWindow: MessageTypeDefinition<_tessera_v1_UptimeWindowWire, _tessera_v1_UptimeWindow>
      VirtualizationMode: EnumTypeDefinition
      Welcome: MessageTypeDefinition<_tessera_v1_WelcomeWire, _tessera_v1_Welcome>
      Worker: MessageTypeDefinition<_tessera_v1_WorkerWire, _tessera_v1_Worker>
    }
  }
}

