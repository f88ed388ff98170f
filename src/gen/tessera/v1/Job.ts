// Original file: proto/tessera/v1/job.proto

import type { JobSpecWire as _tessera_v1_JobSpecWire, JobSpec as _tessera_v1_JobSpec } from '../../tessera/v1/JobSpec.js';
import type { JobStateWire as _tessera_v1_JobStateWire, JobState as _tessera_v1_JobState } from '../../tessera/v1/JobState.js';
import type { ShardCountsWire as _tessera_v1_ShardCountsWire, ShardCounts as _tessera_v1_ShardCounts } from '../../tessera/v1/ShardCounts.js';
import type { ShardWire as _tessera_v1_ShardWire, Shard as _tessera_v1_Shard } from '../../tessera/v1/Shard.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';

export interface JobWire {
  'id'?: (string);
  'spec'?: (_tessera_v1_JobSpecWire | null);
  'state'?: (_tessera_v1_JobStateWire);
  'counts'?: (_tessera_v1_ShardCountsWire | null);
  'shards'?: (_tessera_v1_ShardWire)[];
  'createdTime'?: (_google_protobuf_TimestampWire | null);
  'finishedTime'?: (_google_protobuf_TimestampWire | null);
  'cancelRequested'?: (boolean);
  'placementSummary'?: (string);
}

export interface Job {
  'id': (string);
  'spec': (_tessera_v1_JobSpec | null);
  'state': (_tessera_v1_JobState);
  'counts': (_tessera_v1_ShardCounts | null);
  'shards': (_tessera_v1_Shard)[];
  'createdTime': (_google_protobuf_Timestamp | null);
  'finishedTime': (_google_protobuf_Timestamp | null);
  'cancelRequested': (boolean);
  'placementSummary': (string);
}
