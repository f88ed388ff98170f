// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface PongWire {
  'nonce'?: (number | string | Long);
}

export interface Pong {
  'nonce': (number);
}
