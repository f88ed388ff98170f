// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatAckWire {
  'sequence'?: (number | string | Long);
  'echoSentUnixMs'?: (number | string | Long);
}

export interface HeartbeatAck {
  'sequence': (number);
  'echoSentUnixMs': (number);
}
