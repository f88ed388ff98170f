// Original file: proto/tessera/v1/agent.proto

import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from '../../tessera/v1/ShardRef.js';

export interface CancelShardWire {
  'shard'?: (_tessera_v1_ShardRefWire | null);
  'reason'?: (string);
}

export interface CancelShard {
  'shard': (_tessera_v1_ShardRef | null);
  'reason': (string);
}
