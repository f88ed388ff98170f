// Original file: proto/tessera/v1/agent.proto

import type { WelcomeWire as _tessera_v1_WelcomeWire, Welcome as _tessera_v1_Welcome } from '../../tessera/v1/Welcome.js';
import type { HeartbeatAckWire as _tessera_v1_HeartbeatAckWire, HeartbeatAck as _tessera_v1_HeartbeatAck } from '../../tessera/v1/HeartbeatAck.js';

export interface ConnectResponseWire {
  'welcome'?: (_tessera_v1_WelcomeWire | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAckWire | null);
  'msg'?: "welcome"|"heartbeatAck";
}

export interface ConnectResponse {
  'welcome'?: (_tessera_v1_Welcome | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAck | null);
  'msg'?: "welcome"|"heartbeatAck";
}
