// Original file: proto/tessera/v1/agent.proto

import type { WelcomeWire as _tessera_v1_WelcomeWire, Welcome as _tessera_v1_Welcome } from '../../tessera/v1/Welcome.js';
import type { HeartbeatAckWire as _tessera_v1_HeartbeatAckWire, HeartbeatAck as _tessera_v1_HeartbeatAck } from '../../tessera/v1/HeartbeatAck.js';
import type { AssignShardWire as _tessera_v1_AssignShardWire, AssignShard as _tessera_v1_AssignShard } from '../../tessera/v1/AssignShard.js';
import type { CancelShardWire as _tessera_v1_CancelShardWire, CancelShard as _tessera_v1_CancelShard } from '../../tessera/v1/CancelShard.js';
import type { ShardUpdateAckWire as _tessera_v1_ShardUpdateAckWire, ShardUpdateAck as _tessera_v1_ShardUpdateAck } from '../../tessera/v1/ShardUpdateAck.js';
import type { ComputeChallengeWire as _tessera_v1_ComputeChallengeWire, ComputeChallenge as _tessera_v1_ComputeChallenge } from '../../tessera/v1/ComputeChallenge.js';
import type { RevealTilesWire as _tessera_v1_RevealTilesWire, RevealTiles as _tessera_v1_RevealTiles } from '../../tessera/v1/RevealTiles.js';
import type { PingWire as _tessera_v1_PingWire, Ping as _tessera_v1_Ping } from '../../tessera/v1/Ping.js';

export interface ConnectResponseWire {
  'welcome'?: (_tessera_v1_WelcomeWire | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAckWire | null);
  'assignShard'?: (_tessera_v1_AssignShardWire | null);
  'cancelShard'?: (_tessera_v1_CancelShardWire | null);
  'shardUpdateAck'?: (_tessera_v1_ShardUpdateAckWire | null);
  'computeChallenge'?: (_tessera_v1_ComputeChallengeWire | null);
  'revealTiles'?: (_tessera_v1_RevealTilesWire | null);
  'ping'?: (_tessera_v1_PingWire | null);
  'msg'?: "welcome"|"heartbeatAck"|"assignShard"|"cancelShard"|"shardUpdateAck"|"computeChallenge"|"revealTiles"|"ping";
}

export interface ConnectResponse {
  'welcome'?: (_tessera_v1_Welcome | null);
  'heartbeatAck'?: (_tessera_v1_HeartbeatAck | null);
  'assignShard'?: (_tessera_v1_AssignShard | null);
  'cancelShard'?: (_tessera_v1_CancelShard | null);
  'shardUpdateAck'?: (_tessera_v1_ShardUpdateAck | null);
  'computeChallenge'?: (_tessera_v1_ComputeChallenge | null);
  'revealTiles'?: (_tessera_v1_RevealTiles | null);
  'ping'?: (_tessera_v1_Ping | null);
  'msg'?: "welcome"|"heartbeatAck"|"assignShard"|"cancelShard"|"shardUpdateAck"|"computeChallenge"|"revealTiles"|"ping";
}
