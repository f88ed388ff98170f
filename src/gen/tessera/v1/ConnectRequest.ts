// Original file: proto/tessera/v1/agent.proto

import type { HelloWire as _tessera_v1_HelloWire, Hello as _tessera_v1_Hello } from '../../tessera/v1/Hello.js';
import type { HeartbeatWire as _tessera_v1_HeartbeatWire, Heartbeat as _tessera_v1_Heartbeat } from '../../tessera/v1/Heartbeat.js';
import type { GoodbyeWire as _tessera_v1_GoodbyeWire, Goodbye as _tessera_v1_Goodbye } from '../../tessera/v1/Goodbye.js';
import type { ShardUpdateWire as _tessera_v1_ShardUpdateWire, ShardUpdate as _tessera_v1_ShardUpdate } from '../../tessera/v1/ShardUpdate.js';

export interface ConnectRequestWire {
  'hello'?: (_tessera_v1_HelloWire | null);
  'heartbeat'?: (_tessera_v1_HeartbeatWire | null);
  'goodbye'?: (_tessera_v1_GoodbyeWire | null);
  'shardUpdate'?: (_tessera_v1_ShardUpdateWire | null);
  'msg'?: "hello"|"heartbeat"|"goodbye"|"shardUpdate";
}

export interface ConnectRequest {
  'hello'?: (_tessera_v1_Hello | null);
  'heartbeat'?: (_tessera_v1_Heartbeat | null);
  'goodbye'?: (_tessera_v1_Goodbye | null);
  'shardUpdate'?: (_tessera_v1_ShardUpdate | null);
  'msg'?: "hello"|"heartbeat"|"goodbye"|"shardUpdate";
}
