// Original file: proto/tessera/v1/agent.proto

import type { WelcomeWire as _tessera_v1_WelcomeWire, Welcome as _tessera_v1_Welcome } from '../../tessera/v1/Welcome.js';
import type { HeartbeatAckWire as _tessera_v1_HeartbeatAckWire, HeartbeatAck as _tessera_v1_HeartbeatAck } from '../../tessera/v1/HeartbeatAck.js';
import type { AssignShardWire as _tessera_v1_AssignShardWire, AssignShard as _tessera_v1_AssignShard } from '../../tessera/v1/AssignShard.js';
import type { CancelShardWire as _tessera_v1_CancelShardWire, CancelShard as _tessera_v1_CancelShard } from '../../tessera/v1/CancelShard.js';
import type { ShardUpdateAckWire as _tessera_v1_ShardUpdateAckWire, ShardUpdateAck as _tessera_v1_ShardUpdateAck } from '../../tessera/v1/ShardUpdateAck.js';
import type { ComputeChallengeWire as _tessera_v1_ComputeChallengeWire, ComputeChallenge as _tessera_v1_ComputeChallenge } from '../../tessera/v1/ComputeChallenge.js';
import type { RevealRowsWire as _tessera_v1_RevealRowsWire, RevealRows as _tessera_v1_RevealRows } from '../../tessera/v1/RevealRows.js';

export interface ConnectResponseWire {
  'welcome'?: (_tessera_v1_WelcomeWire | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAckWire | null);
  'assignShard'?: (_tessera_v1_AssignShardWire | null);
  'cancelShard'?: (_tessera_v1_CancelShardWire | null);
  'shardUpdateAck'?: (_tessera_v1_ShardUpdateAckWire | null);
  'computeChallenge'?: (_tessera_v1_ComputeChallengeWire | null);
  'revealRows'?: (_tessera_v1_RevealRowsWire | null);
  'msg'?: "welcome"|"heartbeatAck"|"assignShard"|"cancelShard"|"shardUpdateAck"|"computeChallenge"|"revealRows";
}

export interface ConnectResponse {
  'welcome'?: (_tessera_v1_Welcome | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAck | null);
  'assignShard'?: (_tessera_v1_AssignShard | null);
  'cancelShard'?: (_tessera_v1_CancelShard | null);
  'shardUpdateAck'?: (_tessera_v1_ShardUpdateAck | null);
  'computeChallenge'?: (_tessera_v1_ComputeChallenge | null);
  'revealRows'?: (_tessera_v1_RevealRows | null);
  'msg'?: "welcome"|"heartbeatAck"|"assignShard"|"cancelShard"|"shardUpdateAck"|"computeChallenge"|"revealRows";
}
