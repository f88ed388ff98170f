// Original file: proto/tessera/v1/job.proto

import type { ShardStateWire as _tessera_v1_ShardStateWire, ShardState as _tessera_v1_ShardState } from '../../tessera/v1/ShardState.js';
import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from '../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface ShardWire {
  'index'?: (number);
  'attempt'?: (number);
  'state'?: (_tessera_v1_ShardStateWire);
  'workerId'?: (string);
  'gpuIndices'?: (number)[];
  'exitCode'?: (number);
  'resultJson'?: (string);
  'error'?: (string);
  'wallMs'?: (number | string | Long);
  'peakRssKib'?: (number | string | Long);
  'placedTime'?: (_google_protobuf_TimestampWire | null);
  'startedTime'?: (_google_protobuf_TimestampWire | null);
  'finishedTime'?: (_google_protobuf_TimestampWire | null);
  'outputBytes'?: (number | string | Long);
  'outputTruncated'?: (boolean);
  'resultOmitted'?: (boolean);
}

export interface Shard {
  'index': (number);
  'attempt': (number);
  'state': (_tessera_v1_ShardState);
  'workerId': (string);
  'gpuIndices': (number)[];
  'exitCode': (number);
  'resultJson': (string);
  'error': (string);
  'wallMs': (number);
  'peakRssKib': (number);
  'placedTime': (_google_protobuf_Timestamp | null);
  'startedTime': (_google_protobuf_Timestamp | null);
  'finishedTime': (_google_protobuf_Timestamp | null);
  'outputBytes': (number);
  'outputTruncated': (boolean);
  'resultOmitted': (boolean);
}
