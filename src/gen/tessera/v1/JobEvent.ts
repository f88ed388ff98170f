// Original file: proto/tessera/v1/job.proto

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';
import type { JobStateChangedWire as _tessera_v1_JobStateChangedWire, JobStateChanged as _tessera_v1_JobStateChanged } from '../../tessera/v1/JobStateChanged.js';
import type { ShardStateChangedWire as _tessera_v1_ShardStateChangedWire, ShardStateChanged as _tessera_v1_ShardStateChanged } from '../../tessera/v1/ShardStateChanged.js';
import type { LogChunkWire as _tessera_v1_LogChunkWire, LogChunk as _tessera_v1_LogChunk } from '../../tessera/v1/LogChunk.js';
import type { ShardResultWire as _tessera_v1_ShardResultWire, ShardResult as _tessera_v1_ShardResult } from '../../tessera/v1/ShardResult.js';
import type { JobSummaryWire as _tessera_v1_JobSummaryWire, JobSummary as _tessera_v1_JobSummary } from '../../tessera/v1/JobSummary.js';
import type { Long } from '@grpc/proto-loader';

export interface JobEventWire {
  'sequence'?: (number | string | Long);
  'time'?: (_google_protobuf_TimestampWire | null);
  'jobState'?: (_tessera_v1_JobStateChangedWire | null);
  'shardState'?: (_tessera_v1_ShardStateChangedWire | null);
  'log'?: (_tessera_v1_LogChunkWire | null);
  'shardResult'?: (_tessera_v1_ShardResultWire | null);
  'summary'?: (_tessera_v1_JobSummaryWire | null);
  'event'?: "jobState"|"shardState"|"log"|"shardResult"|"summary";
}

export interface JobEvent {
  'sequence': (number);
  'time': (_google_protobuf_Timestamp | null);
  'jobState'?: (_tessera_v1_JobStateChanged | null);
  'shardState'?: (_tessera_v1_ShardStateChanged | null);
  'log'?: (_tessera_v1_LogChunk | null);
  'shardResult'?: (_tessera_v1_ShardResult | null);
  'summary'?: (_tessera_v1_JobSummary | null);
  'event'?: "jobState"|"shardState"|"log"|"shardResult"|"summary";
}
