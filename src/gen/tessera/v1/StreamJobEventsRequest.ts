// Original file: proto/tessera/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface StreamJobEventsRequestWire {
  'jobId'?: (string);
  'afterSequence'?: (number | string | Long);
}

export interface StreamJobEventsRequest {
  'jobId': (string);
  'afterSequence': (number);
}
