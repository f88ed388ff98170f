// Original file: proto/tessera/v1/agent.proto

import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from '../../tessera/v1/ShardRef.js';
import type { EntrypointWire as _tessera_v1_EntrypointWire, Entrypoint as _tessera_v1_Entrypoint } from '../../tessera/v1/Entrypoint.js';
import type { ShardLimitsWire as _tessera_v1_ShardLimitsWire, ShardLimits as _tessera_v1_ShardLimits } from '../../tessera/v1/ShardLimits.js';
import type { Long } from '@grpc/proto-loader';

export interface AssignShardWire {
  'shard'?: (_tessera_v1_ShardRefWire | null);
  'entrypoint'?: (_tessera_v1_EntrypointWire | null);
  'env'?: ({[key: string]: string});
  'timeoutSeconds'?: (number);
  'limits'?: (_tessera_v1_ShardLimitsWire | null);
  'maxOutputBytes'?: (number | string | Long);
}

export interface AssignShard {
  'shard': (_tessera_v1_ShardRef | null);
  'entrypoint': (_tessera_v1_Entrypoint | null);
  'env': ({[key: string]: string});
  'timeoutSeconds': (number);
  'limits': (_tessera_v1_ShardLimits | null);
  'maxOutputBytes': (number);
}
