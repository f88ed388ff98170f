// Original file: proto/tessera/v1/agent.proto

import type { HelloWire as _tessera_v1_HelloWire, Hello as _tessera_v1_Hello } from '../../tessera/v1/Hello.js';
import type { HeartbeatWire as _tessera_v1_HeartbeatWire, Heartbeat as _tessera_v1_Heartbeat } from '../../tessera/v1/Heartbeat.js';
import type { GoodbyeWire as _tessera_v1_GoodbyeWire, Goodbye as _tessera_v1_Goodbye } from '../../tessera/v1/Goodbye.js';

export interface ConnectRequestWire {
  'hello'?: (_tessera_v1_HelloWire | null);
  'heartbeat'?: (_tessera_v1_HeartbeatWire | null);
  'goodbye'?: (_tessera_v1_GoodbyeWire | null);
  'msg'?: "hello"|"heartbeat"|"goodbye";
}

export interface ConnectRequest {
  'hello'?: (_tessera_v1_Hello | null);
  'heartbeat'?: (_tessera_v1_Heartbeat | null);
  'goodbye'?: (_tessera_v1_Goodbye | null);
  'msg'?: "hello"|"heartbeat"|"goodbye";
}
