// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ComputeChallengeWire {
  'challengeId'?: (string);
  'seed'?: (Buffer | Uint8Array | string);
  'n'?: (number);
  'precision'?: (string);
  'gpuIndex'?: (number);
  'memoryCheckMib'?: (number | string | Long);
  'deadlineMs'?: (number);
}

export interface ComputeChallenge {
  'challengeId': (string);
  'seed': (Buffer);
  'n': (number);
  'precision': (string);
  'gpuIndex': (number);
  'memoryCheckMib': (number);
  'deadlineMs': (number);
}
