// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatWire {
  'sequence'?: (number | string | Long);
  'sentUnixMs'?: (number | string | Long);
  'lastRttUs'?: (number);
}

export interface Heartbeat {
  'sequence': (number);
  'sentUnixMs': (number);
  'lastRttUs': (number);
}
