// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ShardStartedWire {
  'pid'?: (number);
  'startedUnixMs'?: (number | string | Long);
}

export interface ShardStarted {
  'pid': (number);
  'startedUnixMs': (number);
}
