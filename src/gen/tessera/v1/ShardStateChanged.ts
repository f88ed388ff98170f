// Original file: proto/tessera/v1/job.proto

import type { ShardStateWire as _tessera_v1_ShardStateWire, ShardState as _tessera_v1_ShardState } from '../../tessera/v1/ShardState.js';

export interface ShardStateChangedWire {
  'index'?: (number);
  'attempt'?: (number);
  'state'?: (_tessera_v1_ShardStateWire);
  'workerId'?: (string);
  'message'?: (string);
}

export interface ShardStateChanged {
  'index': (number);
  'attempt': (number);
  'state': (_tessera_v1_ShardState);
  'workerId': (string);
  'message': (string);
}
