// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface PingWire {
  'nonce'?: (number | string | Long);
}

export interface Ping {
  'nonce': (number);
}
