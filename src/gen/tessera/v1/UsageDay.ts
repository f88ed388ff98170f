// Original file: proto/tessera/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface UsageDayWire {
  'day'?: (string);
  'gpuSeconds'?: (number | string);
  'cpuSeconds'?: (number | string);
  'attempts'?: (number | string | Long);
}

export interface UsageDay {
  'day': (string);
  'gpuSeconds': (number);
  'cpuSeconds': (number);
  'attempts': (number);
}
