// Original file: proto/tessera/v1/job.proto

import type { ShardStateWire as _tessera_v1_ShardStateWire, ShardState as _tessera_v1_ShardState } from '../../tessera/v1/ShardState.js';
import type { Long } from '@grpc/proto-loader';

export interface ShardResultWire {
  'index'?: (number);
  'attempt'?: (number);
  'state'?: (_tessera_v1_ShardStateWire);
  'exitCode'?: (number);
  'resultJson'?: (string);
  'error'?: (string);
  'wallMs'?: (number | string | Long);
  'peakRssKib'?: (number | string | Long);
  'workerId'?: (string);
}

export interface ShardResult {
  'index': (number);
  'attempt': (number);
  'state': (_tessera_v1_ShardState);
  'exitCode': (number);
  'resultJson': (string);
  'error': (string);
  'wallMs': (number);
  'peakRssKib': (number);
  'workerId': (string);
}
