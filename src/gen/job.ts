import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { CandidateScoreWire as _tessera_v1_CandidateScoreWire, CandidateScore as _tessera_v1_CandidateScore } from './tessera/v1/CandidateScore.js';
import type { EntrypointWire as _tessera_v1_EntrypointWire, Entrypoint as _tessera_v1_Entrypoint } from './tessera/v1/Entrypoint.js';
import type { GangPartitionWire as _tessera_v1_GangPartitionWire, GangPartition as _tessera_v1_GangPartition } from './tessera/v1/GangPartition.js';
import type { IndependentPartitionWire as _tessera_v1_IndependentPartitionWire, IndependentPartition as _tessera_v1_IndependentPartition } from './tessera/v1/IndependentPartition.js';
import type { InlineFileWire as _tessera_v1_InlineFileWire, InlineFile as _tessera_v1_InlineFile } from './tessera/v1/InlineFile.js';
import type { JobWire as _tessera_v1_JobWire, Job as _tessera_v1_Job } from './tessera/v1/Job.js';
import type { JobEventWire as _tessera_v1_JobEventWire, JobEvent as _tessera_v1_JobEvent } from './tessera/v1/JobEvent.js';
import type { JobSpecWire as _tessera_v1_JobSpecWire, JobSpec as _tessera_v1_JobSpec } from './tessera/v1/JobSpec.js';
import type { JobStateChangedWire as _tessera_v1_JobStateChangedWire, JobStateChanged as _tessera_v1_JobStateChanged } from './tessera/v1/JobStateChanged.js';
import type { JobSummaryWire as _tessera_v1_JobSummaryWire, JobSummary as _tessera_v1_JobSummary } from './tessera/v1/JobSummary.js';
import type { LogChunkWire as _tessera_v1_LogChunkWire, LogChunk as _tessera_v1_LogChunk } from './tessera/v1/LogChunk.js';
import type { PlacementCandidateWire as _tessera_v1_PlacementCandidateWire, PlacementCandidate as _tessera_v1_PlacementCandidate } from './tessera/v1/PlacementCandidate.js';
import type { PlacementExplanationWire as _tessera_v1_PlacementExplanationWire, PlacementExplanation as _tessera_v1_PlacementExplanation } from './tessera/v1/PlacementExplanation.js';
import type { ResourcesWire as _tessera_v1_ResourcesWire, Resources as _tessera_v1_Resources } from './tessera/v1/Resources.js';
import type { ShardWire as _tessera_v1_ShardWire, Shard as _tessera_v1_Shard } from './tessera/v1/Shard.js';
import type { ShardCountsWire as _tessera_v1_ShardCountsWire, ShardCounts as _tessera_v1_ShardCounts } from './tessera/v1/ShardCounts.js';
import type { ShardResultWire as _tessera_v1_ShardResultWire, ShardResult as _tessera_v1_ShardResult } from './tessera/v1/ShardResult.js';
import type { ShardStateChangedWire as _tessera_v1_ShardStateChangedWire, ShardStateChanged as _tessera_v1_ShardStateChanged } from './tessera/v1/ShardStateChanged.js';

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
      CandidateScore: MessageTypeDefinition<_tessera_v1_CandidateScoreWire, _tessera_v1_CandidateScore>
      Entrypoint: MessageTypeDefinition<_tessera_v1_EntrypointWire, _tessera_v1_Entrypoint>
      GangPartition: MessageTypeDefinition<_tessera_v1_GangPartitionWire, _tessera_v1_GangPartition>
      IndependentPartition: MessageTypeDefinition<_tessera_v1_IndependentPartitionWire, _tessera_v1_IndependentPartition>
      InlineFile: MessageTypeDefinition<_tessera_v1_InlineFileWire, _tessera_v1_InlineFile>
      Job: MessageTypeDefinition<_tessera_v1_JobWire, _tessera_v1_Job>
      JobEvent: MessageTypeDefinition<_tessera_v1_JobEventWire, _tessera_v1_JobEvent>
      JobSpec: MessageTypeDefinition<_tessera_v1_JobSpecWire, _tessera_v1_JobSpec>
      JobState: EnumTypeDefinition
      JobStateChanged: MessageTypeDefinition<_tessera_v1_JobStateChangedWire, _tessera_v1_JobStateChanged>
      JobSummary: MessageTypeDefinition<_tessera_v1_JobSummaryWire, _tessera_v1_JobSummary>
      LogChunk: MessageTypeDefinition<_tessera_v1_LogChunkWire, _tessera_v1_LogChunk>
      PlacementCandidate: MessageTypeDefinition<_tessera_v1_PlacementCandidateWire, _tessera_v1_PlacementCandidate>
      PlacementExplanation: MessageTypeDefinition<_tessera_v1_PlacementExplanationWire, _tessera_v1_PlacementExplanation>
      Resources: MessageTypeDefinition<_tessera_v1_ResourcesWire, _tessera_v1_Resources>
      Shard: MessageTypeDefinition<_tessera_v1_ShardWire, _tessera_v1_Shard>
      ShardCounts: MessageTypeDefinition<_tessera_v1_ShardCountsWire, _tessera_v1_ShardCounts>
      ShardResult: MessageTypeDefinition<_tessera_v1_ShardResultWire, _tessera_v1_ShardResult>
      ShardState: EnumTypeDefinition
      ShardStateChanged: MessageTypeDefinition<_tessera_v1_ShardStateChangedWire, _tessera_v1_ShardStateChanged>
    }
  }
}

