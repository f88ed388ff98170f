// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ChallengeCommitWire {
  'challengeId'?: (string);
  'root'?: (Buffer | Uint8Array | string);
  'computeMs'?: (number | string | Long);
  'device'?: (string);
  'error'?: (string);
  'errorKind'?: (string);
}

export interface ChallengeCommit {
  'challengeId': (string);
  'root': (Buffer);
  'computeMs': (number);
  'device': (string);
  'error': (string);
  'errorKind': (string);
}
