// Original file: proto/tessera/v1/agent.proto

import type { ShardRefWire as _tessera_v1_ShardRefWire, ShardRef as _tessera_v1_ShardRef } from '../../tessera/v1/ShardRef.js';
import type { ShardStartedWire as _tessera_v1_ShardStartedWire, ShardStarted as _tessera_v1_ShardStarted } from '../../tessera/v1/ShardStarted.js';
import type { ShardOutputWire as _tessera_v1_ShardOutputWire, ShardOutput as _tessera_v1_ShardOutput } from '../../tessera/v1/ShardOutput.js';
import type { ShardFinishedWire as _tessera_v1_ShardFinishedWire, ShardFinished as _tessera_v1_ShardFinished } from '../../tessera/v1/ShardFinished.js';

export interface ShardUpdateWire {
  'shard'?: (_tessera_v1_ShardRefWire | null);
  'started'?: (_tessera_v1_ShardStartedWire | null);
  'output'?: (_tessera_v1_ShardOutputWire | null);
  'finished'?: (_tessera_v1_ShardFinishedWire | null);
  'rejected'?: (string);
  'update'?: "started"|"output"|"finished"|"rejected";
}

export interface ShardUpdate {
  'shard': (_tessera_v1_ShardRef | null);
  'started'?: (_tessera_v1_ShardStarted | null);
  'output'?: (_tessera_v1_ShardOutput | null);
  'finished'?: (_tessera_v1_ShardFinished | null);
  'rejected'?: (string);
  'update'?: "started"|"output"|"finished"|"rejected";
}
