// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ChallengeCommitWire {
  'challengeId'?: (string);
  'rowsRoot'?: (Buffer | Uint8Array | string);
  'computeMs'?: (number | string | Long);
  'device'?: (string);
  'memoryCheckedMib'?: (number | string | Long);
  'memoryError'?: (string);
  'error'?: (string);
}

export interface ChallengeCommit {
  'challengeId': (string);
  'rowsRoot': (Buffer);
  'computeMs': (number);
  'device': (string);
  'memoryCheckedMib': (number);
  'memoryError': (string);
  'error': (string);
}
