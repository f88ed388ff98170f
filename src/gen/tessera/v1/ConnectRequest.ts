// Original file: proto/tessera/v1/agent.proto

import type { HelloWire as _tessera_v1_HelloWire, Hello as _tessera_v1_Hello } from '../../tessera/v1/Hello.js';
import type { HeartbeatWire as _tessera_v1_HeartbeatWire, Heartbeat as _tessera_v1_Heartbeat } from '../../tessera/v1/Heartbeat.js';
import type { GoodbyeWire as _tessera_v1_GoodbyeWire, Goodbye as _tessera_v1_Goodbye } from '../../tessera/v1/Goodbye.js';
import type { ShardUpdateWire as _tessera_v1_ShardUpdateWire, ShardUpdate as _tessera_v1_ShardUpdate } from '../../tessera/v1/ShardUpdate.js';
import type { ChallengeCommitWire as _tessera_v1_ChallengeCommitWire, ChallengeCommit as _tessera_v1_ChallengeCommit } from '../../tessera/v1/ChallengeCommit.js';
import type { ChallengeTileWire as _tessera_v1_ChallengeTileWire, ChallengeTile as _tessera_v1_ChallengeTile } from '../../tessera/v1/ChallengeTile.js';
import type { PongWire as _tessera_v1_PongWire, Pong as _tessera_v1_Pong } from '../../tessera/v1/Pong.js';

export interface ConnectRequestWire {
  'hello'?: (_tessera_v1_HelloWire | null);
  'heartbeat'?: (_tessera_v1_HeartbeatWire | null);
  'goodbye'?: (_tessera_v1_GoodbyeWire | null);
  'shardUpdate'?: (_tessera_v1_ShardUpdateWire | null);
  'challengeCommit'?: (_tessera_v1_ChallengeCommitWire | null);
  'challengeTile'?: (_tessera_v1_ChallengeTileWire | null);
  'pong'?: (_tessera_v1_PongWire | null);
  'msg'?: "hello"|"heartbeat"|"goodbye"|"shardUpdate"|"challengeCommit"|"challengeTile"|"pong";
}

export interface ConnectRequest {
  'hello'?: (_tessera_v1_Hello | null);
  'heartbeat'?: (_tessera_v1_Heartbeat | null);
  'goodbye'?: (_tessera_v1_Goodbye | null);
  'shardUpdate'?: (_tessera_v1_ShardUpdate | null);
  'challengeCommit'?: (_tessera_v1_ChallengeCommit | null);
  'challengeTile'?: (_tessera_v1_ChallengeTile | null);
  'pong'?: (_tessera_v1_Pong | null);
  'msg'?: "hello"|"heartbeat"|"goodbye"|"shardUpdate"|"challengeCommit"|"challengeTile"|"pong";
}
